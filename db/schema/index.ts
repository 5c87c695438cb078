export * from './access.js';
export * from './audit.js';
export * from './customers.js';
export * from './catalog.js';
