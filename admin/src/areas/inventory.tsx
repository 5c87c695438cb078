import { BarChartOutlined, ContainerOutlined, HomeOutlined, ShoppingCartOutlined, SwapOutlined, TruckOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import { Route } from 'react-router';
import { lazyPage } from '../lazyPage';

// Stock and purchasing (issue 16), under "Inventory" in the menu (menu.tsx places the group).
const StockList = lazyPage(() => import('../pages/inventory/stock'), 'StockList');
const StockLedger = lazyPage(() => import('../pages/inventory/stock'), 'StockLedger');
const PurchaseOrderList = lazyPage(() => import('../pages/inventory/purchase-orders'), 'PurchaseOrderList');
const PurchaseOrderCreate = lazyPage(() => import('../pages/inventory/purchase-orders'), 'PurchaseOrderCreate');
const PurchaseOrderShow = lazyPage(() => import('../pages/inventory/purchase-orders'), 'PurchaseOrderShow');
const ReorderList = lazyPage(() => import('../pages/inventory/reorder'), 'ReorderList');
const ForecastPage = lazyPage(() => import('../pages/inventory/forecast'), 'ForecastPage');
const SupplierList = lazyPage(() => import('../pages/inventory/suppliers'), 'SupplierList');
const SupplierCreate = lazyPage(() => import('../pages/inventory/suppliers'), 'SupplierCreate');
const SupplierEdit = lazyPage(() => import('../pages/inventory/suppliers'), 'SupplierEdit');
const DepotList = lazyPage(() => import('../pages/inventory/depots'), 'DepotList');
const DepotCreate = lazyPage(() => import('../pages/inventory/depots'), 'DepotCreate');
const DepotEdit = lazyPage(() => import('../pages/inventory/depots'), 'DepotEdit');
const MovementList = lazyPage(() => import('../pages/inventory/movements'), 'MovementList');

const parent = 'menu-inventory';
export const inventoryResources: ResourceProps[] = [
  { name: 'stock', list: '/stock', meta: { label: 'Stock', icon: <ContainerOutlined />, parent } },
  { name: 'reorder-proposals', list: '/reorder-proposals', meta: { label: 'Reorder proposals', icon: <UnorderedListOutlined />, parent } },
  { name: 'purchase-orders', list: '/purchase-orders', create: '/purchase-orders/create', show: '/purchase-orders/show/:id', meta: { label: 'Purchase orders', icon: <ShoppingCartOutlined />, parent } },
  { name: 'forecast', list: '/forecast', meta: { label: 'Forecast', icon: <BarChartOutlined />, parent } },
  { name: 'stock-movements', list: '/stock-movements', meta: { label: 'Stock movements', icon: <SwapOutlined />, parent } },
  { name: 'suppliers', list: '/suppliers', create: '/suppliers/create', edit: '/suppliers/edit/:id', meta: { label: 'Suppliers', icon: <TruckOutlined />, parent } },
  { name: 'depots', list: '/depots', create: '/depots/create', edit: '/depots/edit/:id', meta: { label: 'Depots', icon: <HomeOutlined />, parent } },
];

export const inventoryRoutes = (
  <>
    <Route path="/stock">
      <Route index element={<StockList />} />
      <Route path="ledger/:productId/:depotId" element={<StockLedger />} />
    </Route>
    <Route path="/reorder-proposals" element={<ReorderList />} />
    <Route path="/purchase-orders">
      <Route index element={<PurchaseOrderList />} />
      <Route path="create" element={<PurchaseOrderCreate />} />
      <Route path="show/:id" element={<PurchaseOrderShow />} />
    </Route>
    <Route path="/forecast" element={<ForecastPage />} />
    <Route path="/stock-movements" element={<MovementList />} />
    <Route path="/suppliers">
      <Route index element={<SupplierList />} />
      <Route path="create" element={<SupplierCreate />} />
      <Route path="edit/:id" element={<SupplierEdit />} />
    </Route>
    <Route path="/depots">
      <Route index element={<DepotList />} />
      <Route path="create" element={<DepotCreate />} />
      <Route path="edit/:id" element={<DepotEdit />} />
    </Route>
  </>
);
