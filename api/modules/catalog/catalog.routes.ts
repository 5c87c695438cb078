import { createRoute, z } from '@hono/zod-openapi';
import { productRequests, products } from '../../../db/schema/index.js';
import { unauthorized } from '../../lib/errors.js';
import { allowed, IdParam, jsonBody, mountResource, ok, permit, sessionRoute, type Router } from '../../lib/http.js';
import { ApproveBody, BulkBody, BulkResult, GstRate, Product, ProductRequest, ProductCreate, ProductRequestCreate, ProductUpdate, RejectBody, units } from './catalog.schemas.js';
import { approveProductRequest, createProductRequest, decideMany, productRequestResource, rejectProductRequest, requestColumns } from './product-requests.service.js';
import { createProduct, listGstRates, productResource, updateProduct } from './products.service.js';


export function mountCatalog(app: Router) {
  mountResource(app, {
    resource: productResource,
    row: Product,
    list: {
      fields: {
        id: { column: products.id, type: 'uuid' },
        name: { column: products.name, type: 'text', sortable: true },
        sku: { column: products.sku, type: 'text', sortable: true },
        category: { column: products.category, type: 'text', sortable: true },
        unit: { column: products.unit, type: 'enum', values: units, sortable: true },
        price_paise: { column: products.price_paise, type: 'int', sortable: true },
        gst_rate_bp: { column: products.gst_rate_bp, type: 'int', sortable: true },
        hsn_code: { column: products.hsn_code, type: 'text', sortable: true },
        is_active: { column: products.is_active, type: 'bool', sortable: true },
        created_at: { column: products.created_at, type: 'timestamp', sortable: true },
      },
      search: [products.name, products.sku, products.category],
      defaultSort: { field: 'name', order: 'asc' },
    },
    create: { body: ProductCreate, run: createProduct },
    // Products are deactivated (is_active: false), never deleted: orders and bills point at them.
    update: { body: ProductUpdate, run: updateProduct },
  });

  // The GST rates (one list, in the database): any logged-in user may read them (the product form offers those in use).
  app.openapi(
    createRoute({
      ...sessionRoute,
      method: 'get',
      path: '/api/gst-rates',
      tags: ['products'],
      responses: ok(z.array(GstRate), 'Every rate, lowest first; in_use false for rates the law removed'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      if (!ctx.actor) throw unauthorized();
      return c.json(await listGstRates(ctx), 200);
    },
  );

  // Bulk route first, so "/decide" is not taken for an id.
  app.openapi(
    createRoute({ ...permit('product-requests', 'approve', 'reject'), method: 'post', path: '/api/product-requests/decide', tags: ['product-requests'], request: jsonBody(BulkBody), responses: ok(BulkResult) }),
    async (c) => {
      const input = c.req.valid('json');
      const ctx = allowed(c, 'product-requests', input.action);
      return c.json(await decideMany(ctx, input), 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('product-requests', 'approve'),
      method: 'post',
      path: '/api/product-requests/{id}/approve',
      tags: ['product-requests'],
      request: { params: IdParam, ...jsonBody(ApproveBody) },
      responses: ok(ProductRequest, 'The approved request'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await approveProductRequest(ctx, c.req.valid('param').id, c.req.valid('json')), 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('product-requests', 'reject'),
      method: 'post',
      path: '/api/product-requests/{id}/reject',
      tags: ['product-requests'],
      request: { params: IdParam, ...jsonBody(RejectBody) },
      responses: ok(ProductRequest, 'The rejected request'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await rejectProductRequest(ctx, c.req.valid('param').id, c.req.valid('json')), 200);
    },
  );
  mountResource(app, {
    resource: productRequestResource,
    row: ProductRequest,
    list: {
      fields: {
        id: { column: productRequests.id, type: 'uuid' },
        name: { column: productRequests.name, type: 'text', sortable: true },
        category: { column: productRequests.category, type: 'text', sortable: true },
        status: { column: productRequests.status, type: 'enum', values: ['pending', 'approved', 'rejected'], sortable: true },
        price_paise: { column: productRequests.price_paise, type: 'int', sortable: true },
        requested_by: { column: productRequests.requested_by, type: 'uuid' },
        requested_by_name: { column: requestColumns.requested_by_name, type: 'text', sortable: true },
        decided_by: { column: productRequests.decided_by, type: 'uuid' },
        decided_at: { column: productRequests.decided_at, type: 'timestamp', sortable: true },
        product_id: { column: productRequests.product_id, type: 'uuid' },
        created_at: { column: productRequests.created_at, type: 'timestamp', sortable: true },
      },
      search: [productRequests.name, productRequests.category, productRequests.note],
      defaultSort: { field: 'created_at', order: 'desc' },
    },
    create: { body: ProductRequestCreate, run: createProductRequest },
  });
}
