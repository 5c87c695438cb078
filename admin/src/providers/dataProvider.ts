import type { DataProvider } from '@refinedev/core';
import simpleRest from '@refinedev/simple-rest';
import { http } from './http';

// Resource URLs are relative ("/customers"): the client's baseURL adds "/api".
const rest = simpleRest('', http);

// Resources of one row have no id in their URL: GET and PATCH /api/settings. Refine's useForm still passes an id.
const singletons = new Set(['settings']);

export const dataProvider: DataProvider = {
  ...rest,
  getOne: (params) => (singletons.has(params.resource) ? http.get(`/${params.resource}`).then((res) => ({ data: res.data })) : rest.getOne(params)),
  update: (params) =>
    singletons.has(params.resource) ? http.patch(`/${params.resource}`, params.variables).then((res) => ({ data: res.data })) : rest.update(params),
};
