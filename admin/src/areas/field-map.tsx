import { GlobalOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import { Route } from 'react-router';
import { lazyPage } from '../lazyPage';

// The live map of the Field menu group (issue 15): its own chunk with leaflet, fetched when the page first opens.
const FieldMapPage = lazyPage(() => import('../pages/field-map'), 'FieldMapPage');

export const fieldMapResources: ResourceProps[] = [
  // The API's resource is `map` (GET /api/map and the event stream need `show` on it).
  { name: 'map', list: '/field/map', meta: { label: 'Live map', icon: <GlobalOutlined />, parent: 'menu-field', accessAction: 'show' } },
];

export const fieldMapRoutes = <Route path="/field/map" element={<FieldMapPage />} />;
