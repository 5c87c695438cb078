import type { ResourceProps } from '@refinedev/core';
import { Route } from 'react-router';

// The finance pages: their Refine resources (menu entries) and their routes, mounted by App.tsx.
export const financeResources: ResourceProps[] = [];

export const financeRoutes = <Route path="/__finance" element={null} />;
