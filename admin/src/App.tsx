import {
  EnvironmentOutlined,
  IdcardOutlined,
  FileAddOutlined,
  HistoryOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  ShopOutlined,
  ShoppingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Authenticated, CanAccess, Refine, useGetIdentity, type NotificationProvider } from '@refinedev/core';
import routerProvider, { CatchAllNavigate, DocumentTitleHandler, NavigateToResource, UnsavedChangesNotifier } from '@refinedev/react-router';
import { App as AntdApp, ConfigProvider, Skeleton } from 'antd';
import { type ReactNode, Suspense } from 'react';
import enGB from 'antd/locale/en_GB';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { dashboardResource, financeResources, financeRoutes } from './areas/finance';
import { moneyResources, moneyRoutes } from './areas/money';
import { supportResources, supportRoutes } from './areas/support';
import { gatewayResources, gatewayRoutes } from './areas/gateway';
import { inventoryResources, inventoryRoutes } from './areas/inventory';
import { operationsResources, operationsRoutes } from './areas/operations';
import { fieldMapResources, fieldMapRoutes } from './areas/field-map';
import { fieldPayResources, fieldPayRoutes } from './areas/field-pay';
import { administrationResources, administrationRoutes } from './areas/administration';
import { AppLayout } from './components/AppLayout';
import { StepUpPrompt } from './components/StepUp';
import { LoginPage } from './pages/login';
import { accessControlProvider } from './providers/accessControlProvider';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import './providers/stepUp';
import { lazyPage } from './lazyPage';
import { arrangeMenu } from './menu';

// Each page is its own chunk, fetched when its route first opens.
const AuditLogList = lazyPage(() => import('./pages/audit-logs/list'), 'AuditLogList');
const AuditLogShow = lazyPage(() => import('./pages/audit-logs/show'), 'AuditLogShow');
const CustomerCreate = lazyPage(() => import('./pages/customers/create'), 'CustomerCreate');
const CustomerEdit = lazyPage(() => import('./pages/customers/edit'), 'CustomerEdit');
const CustomerList = lazyPage(() => import('./pages/customers/list'), 'CustomerList');
const CustomerShow = lazyPage(() => import('./pages/customers/show'), 'CustomerShow');
const ProfilePage = lazyPage(() => import('./pages/profile'), 'ProfilePage');
const ProductRequestCreate = lazyPage(() => import('./pages/product-requests/create'), 'ProductRequestCreate');
const ProductRequestList = lazyPage(() => import('./pages/product-requests/list'), 'ProductRequestList');
const ProductRequestShow = lazyPage(() => import('./pages/product-requests/show'), 'ProductRequestShow');
const ProductCreate = lazyPage(() => import('./pages/products/form'), 'ProductCreate');
const ProductEdit = lazyPage(() => import('./pages/products/form'), 'ProductEdit');
const ProductList = lazyPage(() => import('./pages/products/list'), 'ProductList');
const RoleCreate = lazyPage(() => import('./pages/roles/form'), 'RoleCreate');
const RoleEdit = lazyPage(() => import('./pages/roles/form'), 'RoleEdit');
const RoleList = lazyPage(() => import('./pages/roles/list'), 'RoleList');
const RoleShow = lazyPage(() => import('./pages/roles/show'), 'RoleShow');
const SettingsEdit = lazyPage(() => import('./pages/settings/edit'), 'SettingsEdit');
const UserCreate = lazyPage(() => import('./pages/users/create'), 'UserCreate');
const UserEdit = lazyPage(() => import('./pages/users/edit'), 'UserEdit');
const UserList = lazyPage(() => import('./pages/users/list'), 'UserList');
const UserShow = lazyPage(() => import('./pages/users/show'), 'UserShow');
const SetPasswordPage = lazyPage(() => import('./pages/set-password'), 'SetPasswordPage');
const ZoneCreate = lazyPage(() => import('./pages/zones/form'), 'ZoneCreate');
const ZoneEdit = lazyPage(() => import('./pages/zones/form'), 'ZoneEdit');
const ZoneList = lazyPage(() => import('./pages/zones/list'), 'ZoneList');

// Every resource of the admin, declared once: routes, menu label and icon. Names are the API's.
const resources = [
  dashboardResource,
  {
    name: 'customers',
    list: '/customers',
    show: '/customers/show/:id',
    create: '/customers/create',
    edit: '/customers/edit/:id',
    meta: { label: 'Customers', icon: <TeamOutlined /> },
  },
  // Managed from the customer page (modal forms); declared for permissions and notifications.
  { name: 'addresses', meta: { label: 'Addresses', hide: true } },
  {
    name: 'zones',
    list: '/zones',
    create: '/zones/create',
    edit: '/zones/edit/:id',
    meta: { label: 'Zones', icon: <EnvironmentOutlined />, canDelete: true },
  },
  {
    name: 'products',
    list: '/products',
    create: '/products/create',
    edit: '/products/edit/:id',
    meta: { label: 'Products', icon: <ShoppingOutlined /> },
  },
  {
    name: 'product-requests',
    list: '/product-requests',
    show: '/product-requests/show/:id',
    create: '/product-requests/create',
    meta: { label: 'Product requests', icon: <FileAddOutlined /> },
  },
  {
    name: 'audit-logs',
    list: '/audit-logs',
    show: '/audit-logs/show/:id',
    meta: { label: 'Audit log', icon: <HistoryOutlined /> },
  },
  ...operationsResources,
  ...fieldMapResources,
  ...fieldPayResources,
  ...financeResources,
  ...moneyResources,
  ...supportResources,
  ...gatewayResources,
  ...administrationResources,
  ...inventoryResources,
  {
    name: 'users',
    list: '/users',
    show: '/users/show/:id',
    create: '/users/create',
    edit: '/users/edit/:id',
    meta: { label: 'Users', icon: <UserOutlined /> },
  },
  {
    name: 'roles',
    list: '/roles',
    show: '/roles/show/:id',
    create: '/roles/create',
    edit: '/roles/edit/:id',
    meta: { label: 'Roles', icon: <SafetyCertificateOutlined /> },
  },
  // Every signed-in user's own page (two-factor sign-in, sessions); also in the header's user menu.
  { name: 'profile', list: '/profile', meta: { label: 'Profile', icon: <IdcardOutlined />, everyone: true } },
  { name: 'sessions', meta: { label: 'Sessions', hide: true, everyone: true } },
  // One record, edited in place: the menu entry and page need `edit` on settings (admins), not `list`.
  { name: 'settings', list: '/settings', meta: { label: 'Settings', icon: <SettingOutlined />, accessAction: 'edit' } },
];

const menuResources = arrangeMenu(resources);

// Refine's 404 page lives in @refinedev/antd with the page wrappers: loaded with them, not with the first page.
const ErrorComponent = lazyPage(() => import('@refinedev/antd'), 'ErrorComponent');

const PageLoading = () => <Skeleton active paragraph={{ rows: 8 }} />;

const Forbidden = lazyPage(() => import('./components/Forbidden'), 'Forbidden');

/** A user whose role requires a second factor they have not set up yet is kept on the profile page (the API opens nothing else). */
function EnrolmentGate({ children }: { children: ReactNode }) {
  const { data: me } = useGetIdentity<{ totp_enrolment_required?: boolean }>();
  const { pathname } = useLocation();
  if (me?.totp_enrolment_required && pathname !== '/profile') return <Navigate to="/profile" replace />;
  return children;
}


/**
 * Refine's notifications as antd notices, less the login failure: the login page shows the API's message inline, once.
 * (@refinedev/antd's provider adds an undo countdown for undoable mutations, which the admin does not use.)
 */
function useNotifications(): NotificationProvider {
  const { notification } = AntdApp.useApp();
  return {
    open: ({ key, message, description, type }) => {
      if (key === 'login-error') return;
      notification.open({ key, description: message, message: description ?? null, type: type === 'progress' ? 'info' : type });
    },
    close: (key) => notification.destroy(key),
  };
}

export function App() {
  return (
    <BrowserRouter>
      <ConfigProvider theme={{ token: { colorPrimary: '#1677FF' } }} locale={enGB}>
        <AntdApp>
          <Refine
            dataProvider={dataProvider}
            authProvider={authProvider}
            accessControlProvider={accessControlProvider}
            routerProvider={routerProvider}
            notificationProvider={useNotifications}
            resources={menuResources}
            options={{ syncWithLocation: true, warnWhenUnsavedChanges: true, disableTelemetry: true, title: { text: 'Milkrun', icon: <ShopOutlined /> } }}
          >
            <Routes>
              <Route
                element={
                  <Authenticated key="app" fallback={<CatchAllNavigate to="/login" />}>
                    <AppLayout>
                      {/* Pages a role may not open say so instead of failing on a 403 from the API. */}
                      {/* Inside the layout: menu and header stay while a page's chunk loads. */}
                      <Suspense fallback={<PageLoading />}>
                        <EnrolmentGate>
                          <CanAccess fallback={<Forbidden />}>
                            <Outlet />
                          </CanAccess>
                        </EnrolmentGate>
                      </Suspense>
                    </AppLayout>
                  </Authenticated>
                }
              >
                <Route index element={<NavigateToResource resource="dashboard" />} />
                <Route path="/customers">
                  <Route index element={<CustomerList />} />
                  <Route path="create" element={<CustomerCreate />} />
                  <Route path="edit/:id" element={<CustomerEdit />} />
                  <Route path="show/:id" element={<CustomerShow />} />
                </Route>
                <Route path="/zones">
                  <Route index element={<ZoneList />} />
                  <Route path="create" element={<ZoneCreate />} />
                  <Route path="edit/:id" element={<ZoneEdit />} />
                </Route>
                <Route path="/products">
                  <Route index element={<ProductList />} />
                  <Route path="create" element={<ProductCreate />} />
                  <Route path="edit/:id" element={<ProductEdit />} />
                </Route>
                <Route path="/product-requests">
                  <Route index element={<ProductRequestList />} />
                  <Route path="create" element={<ProductRequestCreate />} />
                  <Route path="show/:id" element={<ProductRequestShow />} />
                </Route>
                <Route path="/audit-logs">
                  <Route index element={<AuditLogList />} />
                  <Route path="show/:id" element={<AuditLogShow />} />
                </Route>
                <Route path="/users">
                  <Route index element={<UserList />} />
                  <Route path="create" element={<UserCreate />} />
                  <Route path="edit/:id" element={<UserEdit />} />
                  <Route path="show/:id" element={<UserShow />} />
                </Route>
                <Route path="/roles">
                  <Route index element={<RoleList />} />
                  <Route path="create" element={<RoleCreate />} />
                  <Route path="edit/:id" element={<RoleEdit />} />
                  <Route path="show/:id" element={<RoleShow />} />
                </Route>
                <Route path="/settings" element={<SettingsEdit />} />
                <Route path="/profile" element={<ProfilePage />} />
                {operationsRoutes}
                {fieldMapRoutes}
                {fieldPayRoutes}
                {financeRoutes}
                {moneyRoutes}
                {supportRoutes}
                {gatewayRoutes}
                {administrationRoutes}
                {inventoryRoutes}
                <Route path="*" element={<ErrorComponent />} />
              </Route>
              {/* Not wrapped in <Authenticated>: that unmounts the page while it re-checks the session, losing the error shown. */}
              <Route path="/login" element={<LoginPage />} />
              {/* A one-time set-password link opens here, signed out (the token is the permission). */}
              <Route
                path="/set-password"
                element={
                  <Suspense fallback={<PageLoading />}>
                    <SetPasswordPage />
                  </Suspense>
                }
              />
            </Routes>
            <UnsavedChangesNotifier />
            <StepUpPrompt />
            <DocumentTitleHandler handler={({ resource, autoGeneratedTitle }) => (resource?.meta?.label ? `${resource.meta.label} | Milkrun` : autoGeneratedTitle.replace(/refine/gi, 'Milkrun'))} />
          </Refine>
        </AntdApp>
      </ConfigProvider>
    </BrowserRouter>
  );
}
