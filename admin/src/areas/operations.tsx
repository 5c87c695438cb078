import type { ResourceProps } from '@refinedev/core';
import { Route } from 'react-router';

// The operations pages: their Refine resources (menu entries) and their routes, mounted by App.tsx.
export const operationsResources: ResourceProps[] = [];

export const operationsRoutes = <Route path="/__operations" element={null} />;
