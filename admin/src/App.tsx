import {
  EnvironmentOutlined,
  FileAddOutlined,
  HistoryOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  ShoppingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { ErrorComponent, RefineThemes, ThemedLayout, ThemedSider, ThemedTitle, useNotificationProvider } from '@refinedev/antd';
import { Authenticated, CanAccess, Refine, type NotificationProvider } from '@refinedev/core';
import routerProvider, { CatchAllNavigate, DocumentTitleHandler, NavigateToResource, UnsavedChangesNotifier } from '@refinedev/react-router';
import { App as AntdApp, ConfigProvider, Result } from 'antd';
import enGB from 'antd/locale/en_GB';
import { BrowserRouter, Outlet, Route, Routes } from 'react-router';
import { dashboardResource, financeResources, financeRoutes } from './areas/finance';
import { operationsResources, operationsRoutes } from './areas/operations';
import { Header } from './components/Header';
import { AuditLogList } from './pages/audit-logs/list';
import { AuditLogShow } from './pages/audit-logs/show';
import { CustomerCreate } from './pages/customers/create';
import { CustomerEdit } from './pages/customers/edit';
import { CustomerList } from './pages/customers/list';
import { CustomerShow } from './pages/customers/show';
import { LoginPage } from './pages/login';
import { ProductRequestCreate } from './pages/product-requests/create';
import { ProductRequestList } from './pages/product-requests/list';
import { ProductRequestShow } from './pages/product-requests/show';
import { ProductCreate, ProductEdit } from './pages/products/form';
import { ProductList } from './pages/products/list';
import { RoleList } from './pages/roles/list';
import { RoleShow } from './pages/roles/show';
import { UserList } from './pages/users/list';
import { ZoneCreate, ZoneEdit } from './pages/zones/form';
import { ZoneList } from './pages/zones/list';
import { accessControlProvider } from './providers/accessControlProvider';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';

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
  ...financeResources,
  { name: 'users', list: '/users', meta: { label: 'Users', icon: <UserOutlined /> } },
  { name: 'roles', list: '/roles', show: '/roles/show/:id', meta: { label: 'Roles', icon: <SafetyCertificateOutlined /> } },
];

const Title = ({ collapsed }: { collapsed: boolean }) => <ThemedTitle collapsed={collapsed} text="Milkrun" icon={<ShopOutlined />} />;

const Forbidden = () => <Result status="403" title="Not for your role" subTitle="Your role may not open this page. Ask an admin if you need it." />;


/** Refine's notifications, less the login failure: the login page shows the API's message inline, once. */
function useNotifications(): NotificationProvider {
  const provider = useNotificationProvider();
  return { ...provider, open: (params) => (params.key === 'login-error' ? undefined : provider.open(params)) };
}

export function App() {
  return (
    <BrowserRouter>
      <ConfigProvider theme={RefineThemes.Blue} locale={enGB}>
        <AntdApp>
          <Refine
            dataProvider={dataProvider}
            authProvider={authProvider}
            accessControlProvider={accessControlProvider}
            routerProvider={routerProvider}
            notificationProvider={useNotifications}
            resources={resources}
            options={{ syncWithLocation: true, warnWhenUnsavedChanges: true, disableTelemetry: true, title: { text: 'Milkrun', icon: <ShopOutlined /> } }}
          >
            <Routes>
              <Route
                element={
                  <Authenticated key="app" fallback={<CatchAllNavigate to="/login" />}>
                    <ThemedLayout
                      Header={Header}
                      Title={Title}
                      // Log out lives in the header, next to who is signed in.
                      Sider={() => <ThemedSider Title={Title} render={({ items }) => items} />}
                    >
                      {/* Pages a role may not open say so instead of failing on a 403 from the API. */}
                      <CanAccess fallback={<Forbidden />}>
                        <Outlet />
                      </CanAccess>
                    </ThemedLayout>
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
                <Route path="/users" element={<UserList />} />
                <Route path="/roles">
                  <Route index element={<RoleList />} />
                  <Route path="show/:id" element={<RoleShow />} />
                </Route>
                {operationsRoutes}
                {financeRoutes}
                <Route path="*" element={<ErrorComponent />} />
              </Route>
              {/* Not wrapped in <Authenticated>: that unmounts the page while it re-checks the session, losing the error shown. */}
              <Route path="/login" element={<LoginPage />} />
            </Routes>
            <UnsavedChangesNotifier />
            <DocumentTitleHandler handler={({ resource, autoGeneratedTitle }) => (resource?.meta?.label ? `${resource.meta.label} | Milkrun` : autoGeneratedTitle.replace(/refine/gi, 'Milkrun'))} />
          </Refine>
        </AntdApp>
      </ConfigProvider>
    </BrowserRouter>
  );
}
