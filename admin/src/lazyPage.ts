import { type ComponentType, lazy } from 'react';

/**
 * A page whose code is fetched the first time its route opens, so the first page (login, dashboard) does not
 * download the other forty. `name` is the page's named export; a <Suspense> in App.tsx shows while it loads.
 */
export function lazyPage<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}
