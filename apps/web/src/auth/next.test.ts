import { describe, expect, it } from 'vitest';
import { loginPath, passwordPath, safeNext } from './next';

describe('safeNext', () => {
  it('follows a path of this app, with its query string', () => {
    expect(safeNext('/users?q=sy&page=2')).toBe('/users?q=sy&page=2');
  });

  it('goes home when there is nowhere to go', () => {
    expect(safeNext(null)).toBe('/');
    expect(safeNext('')).toBe('/');
  });

  it('never leaves the app', () => {
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example/')).toBe('/');
    expect(safeNext('users')).toBe('/');
  });

  it('does not loop back to the login or password pages', () => {
    expect(safeNext('/login?next=/users')).toBe('/');
    expect(safeNext('/account/password')).toBe('/');
  });
});

describe('loginPath and passwordPath', () => {
  it('carry the target in an encoded next parameter', () => {
    expect(loginPath('/users?page=2')).toBe('/login?next=%2Fusers%3Fpage%3D2');
    expect(passwordPath('/audit')).toBe('/account/password?next=%2Faudit');
  });

  it('leave next out when the target is home', () => {
    expect(loginPath('/')).toBe('/login');
    expect(passwordPath('/login')).toBe('/account/password');
  });
});
