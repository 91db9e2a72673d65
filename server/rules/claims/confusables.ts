/**
 * Characters that a sender can put in a signature so that it reads as a protected name to a
 * person but differs from it byte for byte (docs/domain.md#lookalike_signature: full-width,
 * traditional characters, spaces, homoglyphs, one edit). Width and compatibility forms are NFKC's
 * job and traditional characters OpenCC's (see fold.ts); this file holds the rest.
 */

/**
 * Cyrillic and Greek letters drawn like Latin ones. Only the Latin side can occur in a protected
 * name (交管12123, ETC…), so each maps to the Latin letter it imitates, in lower case, since
 * folding lower-cases Latin anyway.
 */
export const LATIN_LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic capitals and small letters
  А: 'a',
  а: 'a',
  В: 'b',
  Е: 'e',
  е: 'e',
  К: 'k',
  к: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  о: 'o',
  Р: 'p',
  р: 'p',
  С: 'c',
  с: 'c',
  Т: 't',
  У: 'y',
  у: 'y',
  Х: 'x',
  х: 'x',
  І: 'i',
  і: 'i',
  Ј: 'j',
  ј: 'j',
  Ѕ: 's',
  ѕ: 's',
  Ԁ: 'd',
  ԁ: 'd',
  Ү: 'y',
  ү: 'y',
  // Cyrillic letters drawn like digits: З/з like 3, б like 6 (a 12123 with a Cyrillic Ze is not 12123)
  З: '3',
  з: '3',
  б: '6',
  // Greek capitals and small letters
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'i',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  ν: 'v',
};

/**
 * Latin letters (after lower-casing) that stand in for a digit when written among digits:
 * 交管I2I23, 交管l2123, 1Ol23. Applied only next to a digit, so words such as "App" keep their
 * letters.
 */
export const DIGIT_LOOKALIKE_LETTERS: Readonly<Record<string, string>> = { i: '1', l: '1', '|': '1', o: '0' };

/**
 * Chinese characters a reader takes for another one at SMS font size. Each row is
 * [the character protected names use, …characters drawn almost like it]. The table is kept small
 * on purpose: a pair is here only when the two differ by one short stroke, a stroke's length or a
 * radical of nearly the same outline, AND the first of them occurs in the names of the bodies this
 * product protects (公安, 交通管理, 税务, 人民法院, 检察院, 人社, 医保, 市场监管, 城市名…), or it is one of
 * the textbook 形近字 triples (己已巳, 未末, 土士, 日曰) that every confusable list starts with.
 * Pairs that are merely similar (交/文, 局/扃, 院/浣) are left to the one-edit lookalike test,
 * which catches one such substitution in any name of five or more characters without making a
 * legitimate word (文管, 浣纱) equal to a protected one.
 */
export const CHINESE_CONFUSABLES: readonly (readonly string[])[] = [
  ['市', '巿'], // U+5DFF 巿 (fú) is 市 with the top stroke joined: identical at any normal size
  ['京', '亰'], // variant form of 京
  ['人', '入', '八'], // 人民法院 / 入民法院 / 八民法院
  ['民', '⺠'], // CJK radical supplement form, not touched by NFKC
  ['管', '菅'], // 交管 / 交菅: bamboo vs grass radical (草菅人命)
  ['检', '捡', '睑'], // 检察院 / 捡察院: wood vs hand radical
  ['税', '祱'], // 税务 / 祱务: 禾 vs 礻
  ['警', '儆'], // 交警 / 交儆: same phonetic 敬, 言 below vs 亻 beside
  ['派', '泒'], // 派出所 / 泒出所: one stroke missing
  ['己', '已', '巳'],
  ['未', '末'],
  ['土', '士'],
  ['日', '曰'],
];
