import { describe, expect, it } from 'vitest';
import { apiErrorFrom } from '../api/problem';
import { translate } from '../i18n';
import { fieldErrorsOf, localizeFieldMessage } from './fieldErrors';

const zh = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('zh-CN', key, params);

function validationError(errors: { path: string; message: string }[]) {
  return apiErrorFrom(400, {
    type: 'https://jineng.dev/problems/validation-failed',
    title: 'Bad Request',
    status: 400,
    detail: 'The request is invalid',
    code: 'VALIDATION_FAILED',
    errors,
  });
}

describe('localizeFieldMessage', () => {
  it('translates the password policy, keeping the numbers', () => {
    expect(localizeFieldMessage('must have at least 8 characters', zh)).toBe('至少需要 8 个字符');
    expect(
      localizeFieldMessage('must mix at least 3 of: lower-case, upper-case, digits, symbols', zh),
    ).toBe('需包含小写字母、大写字母、数字、符号中的至少 3 类');
    expect(localizeFieldMessage('must not contain the username', zh)).toBe('不能包含用户名');
  });

  it('uses words meant for the field when there are some', () => {
    expect(localizeFieldMessage('is taken', zh, 'username')).toBe('该用户名已被使用');
    expect(localizeFieldMessage('is taken', zh, 'serialCode')).toBe('已被其他记录使用');
    expect(localizeFieldMessage('already has an account', zh, 'phone')).toBe(
      '该手机号已注册账号，请直接登录',
    );
  });

  it('passes the ID-number check’s Chinese message through unchanged', () => {
    const message =
      '身份证号码校验位（最后一位）与前 17 位不符，号码中可能有输错或颠倒的数字，请对照身份证原件核对。';
    expect(localizeFieldMessage(message, zh, 'idNumber')).toBe(message);
  });

  it('shows a message it does not know as the server wrote it', () => {
    expect(localizeFieldMessage('is odd', zh)).toBe('is odd');
  });
});

describe('fieldErrorsOf', () => {
  it('puts each message on the field its path names, several per field', () => {
    const error = validationError([
      { path: '/body/newPassword', message: 'must have at least 8 characters' },
      { path: '/body/newPassword', message: 'is a common or breached password' },
      { path: '/body/currentPassword', message: 'is wrong' },
    ]);
    expect(fieldErrorsOf(error, ['currentPassword', 'newPassword'], zh)).toEqual({
      fields: [
        { name: 'newPassword', errors: ['至少需要 8 个字符', '这是常见或已泄露的密码，请换一个'] },
        { name: 'currentPassword', errors: ['当前密码不正确'] },
      ],
      unplaced: false,
    });
  });

  it('reports errors for fields the form does not have, or none at all, as unplaced', () => {
    const stray = validationError([{ path: '/query/page', message: 'must be >= 1' }]);
    expect(fieldErrorsOf(stray, ['username'], zh)).toEqual({ fields: [], unplaced: true });
    expect(fieldErrorsOf(new Error('boom'), ['username'], zh).unplaced).toBe(true);
  });
});
