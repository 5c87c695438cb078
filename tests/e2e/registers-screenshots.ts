/**
 * Screenshots of the finance registers and the revenue page's files, for a person to look at (not a test).
 *   PGLITE_DIR=/tmp/mr-analytics PORT=3104 npm start &   then   npx tsx tests/e2e/registers-screenshots.ts [baseUrl]
 */
import { screenshots } from './shots.js';

const base = process.argv[2] ?? 'http://localhost:3104';
const { browser, session, shot } = await screenshots(base);
const finance = await session('finance');
const lastMonth = new Date(Date.now() - 30 * 864e5).toISOString().slice(0, 7);
const end = new Date(Date.UTC(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5, 7)), 0)).toISOString().slice(0, 10);
const q = `from=${lastMonth}-01&to=${end}`;
await shot(finance, 'g10-sales-register', `/reports/registers?view=sales&${q}`, { wait: '[data-testid=sales-register] .ant-table-row', full: true });
await shot(finance, 'g11-collections-register', `/reports/registers?view=collections&${q}`, { wait: '[data-testid=collections-register] .ant-table-row', full: true });
await shot(finance, 'g12-revenue-files', '/reports/revenue?by=product', { wait: '[data-testid=revenue] .ant-table-row' });
await finance.setViewportSize({ width: 390, height: 844 });
await shot(finance, 'g20-sales-register-phone', `/reports/registers?view=sales&${q}`, { wait: '[data-testid=sales-register] .ant-table-row', full: true });
await shot(finance, 'g21-collections-register-phone', `/reports/registers?view=collections&${q}`, { wait: '[data-testid=collections-register] .ant-table-row' });
await browser.close();
