import type Handlebars from 'handlebars';
import { eq } from './eq.ts';
import { translate } from './t.ts';

export function registerHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('t', translate);
  handlebars.registerHelper('eq', eq);
}
