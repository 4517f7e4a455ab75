/** The programme's civil time zone: "today", report periods and schedules are Shanghai dates. */
export const TIME_ZONE = 'Asia/Shanghai';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock & { set(to: Date | string): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set(to) {
      current = new Date(to);
    },
  };
}

const dateFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Shanghai civil date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(at: Date): string {
  return dateFormatter.format(at);
}
