import { products } from '../../../db/schema/index.js';
import type { Resource } from '../../lib/crud.js';

export const productResource: Resource = { name: 'products', label: 'Product', table: products };
