import { describe, expect, it } from 'vitest';
import { menuFor, selectedMenuPath, type Role } from './access';

describe('menuFor', () => {
  it('shows the public the home page and the four reference-data pages, in order', () => {
    expect(menuFor('public').map((item) => item.path)).toEqual([
      '/',
      '/regions',
      '/units',
      '/plans',
      '/occupations',
    ]);
  });

  it('gives every role at least what the public sees', () => {
    const publicPaths = menuFor('public').map((item) => item.path);
    const roles: Role[] = ['trainee', 'institution', 'staff', 'admin'];
    for (const role of roles) {
      expect(menuFor(role).map((item) => item.path)).toEqual(expect.arrayContaining(publicPaths));
    }
  });

  it('labels every entry with a menu message key', () => {
    for (const item of menuFor('public')) expect(item.labelKey).toMatch(/^menu\./);
  });

  it('returns a fresh list, so callers cannot change the menu of others', () => {
    const first = menuFor('public');
    first.pop();
    expect(menuFor('public')).toHaveLength(5);
  });
});

describe('selectedMenuPath', () => {
  const items = menuFor('public');

  it('selects home only on the root path', () => {
    expect(selectedMenuPath(items, '/')).toBe('/');
    expect(selectedMenuPath(items, '/nowhere')).toBeUndefined();
  });

  it('selects a section for its own path and the paths below it', () => {
    expect(selectedMenuPath(items, '/occupations')).toBe('/occupations');
    expect(selectedMenuPath(items, '/occupations/4-03-02-01')).toBe('/occupations');
  });

  it('does not select a section for a path that merely starts with the same letters', () => {
    expect(selectedMenuPath(items, '/plansx')).toBeUndefined();
  });
});
