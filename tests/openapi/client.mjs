// @ts-check
// The api's client as a TypeScript user would write it: openapi-fetch typed by the types that
// openapi-typescript generated from the served document (generated/api.d.ts). `tsc --noEmit`
// checks this file against them, so a path, method, header, parameter or body member the
// document does not declare, or declares with another type, fails to compile.
import createClient from 'openapi-fetch';

/** @typedef {import('./generated/api.js').paths} Paths */
/** @typedef {import('./generated/api.js').components['schemas']} Schemas */
/** @typedef {Schemas['ItemResponse']} Item */

/**
 * The calls of one tenant, optionally for a pull request's canary.
 * @param {string} baseUrl
 * @param {{ tenant: number, canary?: string }} caller
 */
export function itemsClient(baseUrl, { tenant, canary }) {
  /** @type {import('openapi-fetch').Client<Paths>} */
  const api = createClient({ baseUrl });
  const canaryHeader = canary === undefined ? {} : { 'X-Canary': canary };
  const header = { 'X-Tenant-ID': String(tenant), ...canaryHeader };

  return {
    /** @param {Schemas['CreateItemRequest']} body @param {string} [idempotencyKey] */
    create: (body, idempotencyKey) => api.POST('/api/v1/items', {
      params: { header: { ...header, ...(idempotencyKey === undefined ? {} : { 'Idempotency-Key': idempotencyKey }) } },
      body,
    }),

    /** @param {string} id */
    get: (id) => api.GET('/api/v1/items/{id}', { params: { path: { id }, header } }),

    /** @param {string} id @param {Schemas['UpdateItemRequest']} body @param {string} ifMatch an ETag */
    replace: (id, body, ifMatch) => api.PUT('/api/v1/items/{id}', {
      params: { path: { id }, header: { ...header, 'If-Match': ifMatch } },
      body,
    }),

    /** @param {string} id @param {Schemas['InventoryChangeRequest']} change */
    changeInventory: (id, change) => api.PATCH('/api/v1/items/{id}/inventory', { params: { path: { id }, header }, body: change }),

    /** @param {string} id */
    discontinue: (id) => api.DELETE('/api/v1/items/{id}', { params: { path: { id }, header } }),

    /** @param {NonNullable<Paths['/api/v1/items']['get']['parameters']['query']>} query */
    list: (query) => api.GET('/api/v1/items', { params: { query, header } }),

    health: () => api.GET('/health', { params: { header: canaryHeader } }),
  };
}
