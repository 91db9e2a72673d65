import type { Role } from '../entities/User.ts';
import { t, type Locale } from '../i18n/index.ts';

/** What a page says of a user named as an actor (services/accounts/accounts.ts usersNamed). */
export interface ActorPerson {
  role: Role;
  carrierName: string | null;
}

const CLI = 'cli:';

/** The operating-system user of an actor that is the command line (`cli:<os user>`), else null. */
export function commandLineUser(actor: string): string | null {
  return actor.startsWith(CLI) ? actor.slice(CLI.length) : null;
}

/**
 * Who did something, as a reader says it: a user by name, with their role and carrier when
 * `people` knows them; the command line (`cli:<os user>`) and the server itself (`system`) in
 * words rather than as the log stores them (services/accounts/audit.ts).
 */
export function actorText(actor: string, locale: Locale, people: ReadonlyMap<string, ActorPerson> = new Map()): string {
  const osUser = commandLineUser(actor);
  if (osUser !== null) return t(locale, 'audit.actor_cli', { user: osUser });
  if (actor === 'system') return t(locale, 'audit.actor_system');
  const person = people.get(actor);
  if (!person) return actor;
  const role = t(locale, `role.${person.role}`);
  return person.carrierName
    ? t(locale, 'audit.actor_person_of_carrier', { name: actor, role, carrier: person.carrierName })
    : t(locale, 'audit.actor_person', { name: actor, role });
}
