import { z } from '@hono/zod-openapi';
import { importAnomalies, importRuns } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

export const ImportRun = tableRow(importRuns).openapi('ImportRun');
export type ImportRun = z.infer<typeof ImportRun>;
export const ImportAnomaly = tableRow(importAnomalies).openapi('ImportAnomaly');
export type ImportAnomaly = z.infer<typeof ImportAnomaly>;
