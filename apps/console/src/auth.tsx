/** Who is logged in: the session tokens and the claims from `/auth/me`. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';

import { api, loadSession, login as apiLogin, logout as apiLogout, onSessionChange, type Principal } from './api';

interface Auth {
  principal: Principal | undefined;
  ready: boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<Auth | undefined>(undefined);
const PRINCIPAL_KEY = 'tongxin.principal';

const cachedPrincipal = (): Principal | undefined => {
  try {
    const raw = localStorage.getItem(PRINCIPAL_KEY);
    return raw && loadSession() ? (JSON.parse(raw) as Principal) : undefined;
  } catch {
    return undefined;
  }
};

export function AuthProvider({ children }: { children: ReactNode }) {
  // The claims are kept too, so a phone that reopens the page offline still knows its home.
  const [principal, setPrincipal] = useState<Principal | undefined>(cachedPrincipal);
  const [ready, setReady] = useState(() => !loadSession() || Boolean(cachedPrincipal()));

  const remember = (p: Principal | undefined) => {
    if (p) localStorage.setItem(PRINCIPAL_KEY, JSON.stringify(p));
    else localStorage.removeItem(PRINCIPAL_KEY);
    setPrincipal(p);
  };

  useEffect(() => {
    if (loadSession()) {
      api<Principal>('/auth/me')
        .then(remember)
        .catch((error: unknown) => {
          if ((error as { status?: number }).status === 401) remember(undefined);
        })
        .finally(() => setReady(true));
    }
    return onSessionChange((session) => {
      if (!session) remember(undefined);
    });
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    await apiLogin(username, password);
    remember(await api<Principal>('/auth/me'));
    setReady(true);
  }, []);
  const logout = useCallback(async () => {
    await apiLogout();
    remember(undefined);
  }, []);

  return <AuthContext.Provider value={{ principal, ready, login, logout }}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

export function usePrincipal(): Principal {
  const { principal } = useAuth();
  if (!principal) throw new Error('not logged in');
  return principal;
}
