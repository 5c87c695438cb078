import type { DataProvider } from '@refinedev/core';
import simpleRest, { generateFilter, generateSort, stringify } from '@refinedev/simple-rest';
import { http } from './http';

/** The deepest first row the API serves (MAX_START in api/lib/rest.ts): pagination offers no page past it. */
export const MAX_START = 10_000;

// Resource URLs are relative ("/customers"): the client's baseURL adds "/api".
const rest = simpleRest('', http);

// Resources of one row have no id in their URL: GET and PATCH /api/settings. Refine's useForm still passes an id.
const singletons = new Set(['settings']);

/**
 * simple-rest's getList, plus what the API says about its total: `reported_total` as x-total-count gave it and
 * `estimated` when x-total-count-estimated says it is PostgreSQL's estimate (big lists past 10,000 rows). `total`
 * stops at the last page the API serves, so the pagination never offers a page it would refuse.
 */
export const dataProvider: DataProvider = {
  ...rest,
  getOne: (params) => (singletons.has(params.resource) ? http.get(`/${params.resource}`).then((res) => ({ data: res.data })) : rest.getOne(params)),
  update: (params) =>
    singletons.has(params.resource) ? http.patch(`/${params.resource}`, params.variables).then((res) => ({ data: res.data })) : rest.update(params),
  getList: async ({ resource, pagination, filters, sorters }) => {
    const { currentPage = 1, pageSize = 10, mode = 'server' } = pagination ?? {};
    const query: Record<string, unknown> = { ...generateFilter(filters) };
    if (mode === 'server') {
      query._start = (currentPage - 1) * pageSize;
      query._end = currentPage * pageSize;
    }
    const sort = generateSort(sorters);
    if (sort) {
      query._sort = sort._sort.join(',');
      query._order = sort._order.join(',');
    }
    const { data, headers } = await http.get(`/${resource}?${stringify(query)}`);
    const reported = Number(headers['x-total-count']) || data.length;
    const reachable = mode === 'server' ? Math.floor(MAX_START / pageSize) * pageSize + pageSize : reported;
    return { data, total: Math.min(reported, reachable), reported_total: reported, estimated: headers['x-total-count-estimated'] === 'true' };
  },
};
