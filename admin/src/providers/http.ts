import { axiosInstance } from '@refinedev/simple-rest';

/**
 * The one HTTP client of the admin: simple-rest's axios instance, whose interceptor already turns an
 * error response into Refine's HttpError ({message, statusCode}) from our problem+json `message`.
 * Same origin in production and through the Vite proxy in dev; withCredentials keeps the session
 * cookie on calls should the admin ever be served from another origin.
 */
export const http = axiosInstance;
http.defaults.baseURL = '/api';
http.defaults.withCredentials = true;
// The API refuses a bodiless POST/DELETE without this header (a cross-site form cannot send it): api/lib/edge.ts.
http.defaults.headers.common['X-Requested-With'] = 'XMLHttpRequest';
