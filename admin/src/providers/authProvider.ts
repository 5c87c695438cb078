import type { AuthProvider, HttpError } from '@refinedev/core';
import { http } from './http';
import { getMe, setMe, type Me } from './session';

export const authProvider: AuthProvider = {
  login: async ({ email, password }: { email: string; password: string }) => {
    try {
      const { data } = await http.post<Me>('/auth/login', { email, password });
      setMe(data);
      return { success: true, redirectTo: '/' };
    } catch (e) {
      const err = e as HttpError;
      // The API explains itself (wrong password, too many attempts); show its words.
      return { success: false, error: { name: 'Login failed', message: err.message || 'Could not reach the server.' } };
    }
  },

  logout: async () => {
    try {
      await http.post('/auth/logout');
    } catch {
      // Already logged out or the server is away: the cookie is httpOnly, so all we can do is forget.
    }
    setMe(null);
    // A full page load, not a client-side redirect: it drops every cached record and permission answer
    // of the previous user (React Query keys carry no user), so the next login starts clean.
    window.location.assign('/login');
    return { success: true };
  },

  check: async () => {
    try {
      const me = await getMe();
      return me ? { authenticated: true } : { authenticated: false, redirectTo: '/login', logout: true };
    } catch (error) {
      return { authenticated: false, redirectTo: '/login', error: error as Error };
    }
  },

  // Any API call answering 401 (expired or revoked session) logs out; 403 only shows its message.
  onError: async (error: HttpError) => {
    if (error?.statusCode === 401) return { logout: true, redirectTo: '/login', error };
    return { error };
  },

  getIdentity: async () => {
    const me = await getMe().catch(() => null);
    return me ? { id: me.id, name: me.name, email: me.email, roles: me.roles } : null;
  },

  getPermissions: async () => (await getMe().catch(() => null))?.roles ?? [],
};
