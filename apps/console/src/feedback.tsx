/**
 * Ant Design's `<App>` (what `App.useApp()` gives the pages: message, notification, modal) without
 * its weight on the first load: the three hooks, their holders and styles, about a third of the
 * Ant Design a first paint needs, are in their own chunk, fetched a few seconds after start or at
 * the first call, whichever comes first. A call made before it arrives is made when it arrives.
 */
import { theme } from 'antd';
import AppContext, { type useAppProps } from 'antd/es/app/context';
import { lazy, Suspense, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';

const FeedbackHolders = lazy(() => import('./feedback-holders'));

let resolveApi: (api: useAppProps) => void = () => undefined;
const arrived = new Promise<useAppProps>((resolve) => {
  resolveApi = resolve;
});
let demand: () => void = () => undefined;

/** Stands for `api[part]` until the chunk is there: every method call waits for it. */
const later = <K extends keyof useAppProps>(part: K): useAppProps[K] =>
  new Proxy({} as useAppProps[K], {
    // Not a thenable: `then` stays undefined.
    get: (_target, method: string) =>
      method === 'then'
        ? undefined
        : (...args: unknown[]) => {
            demand();
            return arrived.then((api) =>
              (api[part] as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...args),
            );
          },
  });
const placeholder: useAppProps = {
  message: later('message'),
  notification: later('notification'),
  modal: later('modal'),
};

/** Fetched this long after start when nothing asked for it before (so it is there offline too). */
const PREFETCH_MS = 4000;

export function Feedback({ children }: { children: ReactNode }) {
  const { token } = theme.useToken();
  const [load, setLoad] = useState(false);
  const [api, setApi] = useState<useAppProps>(placeholder);
  useEffect(() => {
    demand = () => setLoad(true);
    const timer = setTimeout(demand, PREFETCH_MS);
    return () => clearTimeout(timer);
  }, []);
  const onReady = useCallback((ready: useAppProps) => {
    resolveApi(ready);
    setApi(ready);
  }, []);
  return (
    <AppContext.Provider value={api}>
      {/* What antd's App sets on its own wrapper, so plain text looks like the components' text. */}
      <div
        style={{
          color: token.colorText,
          fontSize: token.fontSize,
          lineHeight: token.lineHeight,
          fontFamily: token.fontFamily,
        }}
      >
        {load && (
          <Suspense fallback={null}>
            <FeedbackHolders onReady={onReady} />
          </Suspense>
        )}
        {children}
      </div>
    </AppContext.Provider>
  );
}

/** `App.useApp()` without importing antd's `App` (which would bring the three hooks back into the page's chunks). */
export const useFeedback = (): useAppProps => useContext(AppContext);
