import simpleRest from '@refinedev/simple-rest';
import { http } from './http';

// Resource URLs are relative ("/customers"): the client's baseURL adds "/api".
export const dataProvider = simpleRest('', http);
