import type { MessageKey } from './i18n';

/**
 * Who is looking at the app. Only `public` exists in the UI today; the other roles are listed
 * so that pages behind a sign-in are added here, in one place, when they arrive.
 */
export type Role = 'public' | 'trainee' | 'institution' | 'staff' | 'admin';

export type MenuIcon = 'home' | 'regions' | 'units' | 'plans' | 'occupations';

export interface MenuItem {
  /** The route path, also the menu key. */
  path: string;
  labelKey: MessageKey;
  icon: MenuIcon;
}

interface MenuEntry extends MenuItem {
  roles: readonly Role[] | 'everyone';
}

const MENU: readonly MenuEntry[] = [
  { path: '/', labelKey: 'menu.home', icon: 'home', roles: 'everyone' },
  { path: '/regions', labelKey: 'menu.regions', icon: 'regions', roles: 'everyone' },
  { path: '/units', labelKey: 'menu.units', icon: 'units', roles: 'everyone' },
  { path: '/plans', labelKey: 'menu.plans', icon: 'plans', roles: 'everyone' },
  { path: '/occupations', labelKey: 'menu.occupations', icon: 'occupations', roles: 'everyone' },
];

/** The side-menu entries `role` may see, in display order. */
export function menuFor(role: Role): MenuItem[] {
  return MENU.filter((entry) => entry.roles === 'everyone' || entry.roles.includes(role)).map(
    ({ path, labelKey, icon }) => ({ path, labelKey, icon }),
  );
}

/** The menu entry a location belongs to: the longest path that prefixes it. */
export function selectedMenuPath(items: readonly MenuItem[], pathname: string): string | undefined {
  let best: MenuItem | undefined;
  for (const item of items) {
    const matches =
      item.path === '/'
        ? pathname === '/'
        : pathname === item.path || pathname.startsWith(`${item.path}/`);
    if (matches && (!best || item.path.length > best.path.length)) best = item;
  }
  return best?.path;
}
