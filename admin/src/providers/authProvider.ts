import type { AuthProvider, HttpError } from '@refinedev/core';
import { http } from './http';
import { getMe, setMe, type Me } from './session';

export const authProvider: AuthProvider = {
  login: async ({ email, password, totp, recovery_code }: { email: string; password: string; totp?: string; recovery_code?: string }) => {
    try {
      const { data } = await http.post<Me>('/auth/login', { email, password, totp: totp || undefined, recovery_code: recovery_code || undefined });
      setMe(data);
      // A role that requires a second factor the user has not set up: the profile page is all the API opens.
      return { success: true, redirectTo: data.totp_enrolment_required ? '/profile' : '/' };
    } catch (e) {
      const err = e as HttpError & { response?: { data?: { code?: string } } };
      // The API explains itself (wrong password, too many attempts, a code is needed); show its words. The code
      // (totp_required, totp_invalid) tells the login page to ask for the second factor.
      const code = err.response?.data?.code;
      return { success: false, error: { name: code ?? 'Login failed', message: err.message || 'Could not reach the server.' } };
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
    return me ? { id: me.id, name: me.name, email: me.email, roles: me.roles, totp_enabled: me.totp_enabled, totp_enrolment_required: me.totp_enrolment_required } : null;
  },

  getPermissions: async () => (await getMe().catch(() => null))?.roles ?? [],
};
