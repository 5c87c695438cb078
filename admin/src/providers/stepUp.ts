import { askForStepUpCode } from '../components/StepUp';
import { http } from './http';
import { getMe } from './session';

/**
 * Step-up for every request of the admin: an answer 403 step_up_required asks for a code (components/StepUp.tsx) and
 * sends the same request again with it in X-TOTP. A user without a second factor is not asked (the API's message
 * says to enrol first), and a cancelled prompt leaves the original refusal to the caller.
 */
http.interceptors.response.use(undefined, async (error) => {
  const config = error?.config;
  if (error?.statusCode !== 403 || error?.response?.data?.code !== 'step_up_required' || !config) throw error;
  const me = await getMe().catch(() => null);
  if (!me?.totp_enabled) throw error;
  const code = await askForStepUpCode(error.message ?? '');
  if (!code) throw error;
  config.headers['X-TOTP'] = code;
  return http.request(config);
});
