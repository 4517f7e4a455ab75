/**
 * The shapes a form checks before sending, so that a typo is caught at once. They only catch
 * what is plainly wrong: the server checks everything again (an ID number's check digit, region
 * and birth date) and says in Chinese what is wrong.
 */

/** 18 characters, the last may be X; 15 digits pass too, so the server can say what to do. */
export const ID_NUMBER_SHAPE = /^\s*[0-9]{15}([0-9]{2}[0-9Xx])?\s*$/;

/** A mobile number as people type it: spaces and dashes removed (138 1234 1234, 138-1234-1234). */
export function compactPhone(value: string): string {
  return value.replace(/[\s-]+/g, '');
}

/** A mainland mobile number: 11 digits starting 13–19. */
export function isMobile(value: string): boolean {
  return /^1[3-9][0-9]{9}$/.test(compactPhone(value));
}

/** An antd rule accepting an empty value or a mobile number; `message` when it is neither. */
export function mobileRule(message: string) {
  return {
    validator: (_: unknown, value: string | undefined) =>
      !value || !value.trim() || isMobile(value)
        ? Promise.resolve()
        : Promise.reject(new Error(message)),
  };
}
