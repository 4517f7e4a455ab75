/**
 * Browser APIs that jsdom does not implement but antd calls. These fill gaps in the test
 * browser; they do not replace any part of antd or the app.
 */
export function fillJsdomGaps(): void {
  if (typeof window.matchMedia !== 'function') {
    // Evaluates min-/max-width queries against jsdom's window width (1024 px), as a desktop would.
    window.matchMedia = (query: string): MediaQueryList => {
      const width = window.innerWidth;
      const min = /min-width:\s*(\d+)px/.exec(query);
      const max = /max-width:\s*(\d+)px/.exec(query);
      const matches = (!min || width >= Number(min[1])) && (!max || width <= Number(max[1]));
      return Object.assign(new EventTarget(), {
        matches,
        media: query,
        onchange: null,
        addListener: () => undefined,
        removeListener: () => undefined,
      }) as MediaQueryList;
    };
  }
  if (typeof globalThis.ResizeObserver !== 'function') {
    // jsdom lays nothing out, so no element ever changes size: an observer that never fires.
    globalThis.ResizeObserver = class {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    };
  }
}
