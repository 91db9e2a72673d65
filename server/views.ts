import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { projectRoot } from '../ormconfig.ts';
import { registerHelpers } from './views-helpers/index.ts';

export const viewsDir = path.join(projectRoot, 'views');

type Template = Handlebars.TemplateDelegate;

/**
 * Compiles every template under views/ once: `layouts/*.hbs` wrap pages, `partials/*.hbs` are
 * partials by file name, the rest are pages named by their path (`lookup/show`).
 */
export class ViewEngine {
  private readonly handlebars = Handlebars.create();
  private readonly pages = new Map<string, Template>();
  private readonly layouts = new Map<string, Template>();

  constructor(directory: string = viewsDir) {
    registerHelpers(this.handlebars);
    for (const file of walk(directory)) {
      const name = path
        .relative(directory, file)
        .replace(/\\/g, '/')
        .replace(/\.hbs$/, '');
      const source = readFileSync(file, 'utf8');
      if (name.startsWith('partials/')) this.handlebars.registerPartial(name.slice('partials/'.length), source);
      else if (name.startsWith('layouts/'))
        this.layouts.set(name.slice('layouts/'.length), this.handlebars.compile(source, { strict: false }));
      else this.pages.set(name, this.handlebars.compile(source));
    }
  }

  /** The page's HTML inside the layout. `model` must be plain data (no entity instances). */
  render(page: string, model: Record<string, unknown>, layout = 'main'): string {
    const template = this.pages.get(page);
    if (!template) throw new Error(`no view "${page}" under views/`);
    const body = template(model);
    const wrapper = this.layouts.get(layout);
    if (!wrapper) throw new Error(`no layout "${layout}" under views/layouts/`);
    // The page was rendered with escaping on; it is trusted HTML for the layout.
    return wrapper({ ...model, body: new this.handlebars.SafeString(body) });
  }
}

function walk(directory: string): string[] {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => {
      const full = path.join(directory, name);
      if (statSync(full).isDirectory()) return walk(full);
      return name.endsWith('.hbs') ? [full] : [];
    });
}
