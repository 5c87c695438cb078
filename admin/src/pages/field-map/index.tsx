import { ReloadOutlined } from '@ant-design/icons';
import { List, useSelect } from '@refinedev/antd';
import { type HttpError, useCustom } from '@refinedev/core';
import { Alert, Badge, Button, DatePicker, Empty, Form, Radio, Select, Space, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useMemo, useState } from 'react';
import { CircleMarker, MapContainer, Marker, Popup, TileLayer, Tooltip, useMap } from 'react-leaflet';
import { useSearchParams } from 'react-router';
import { QueryError } from '../../components/QueryError';
import { usePhone } from '../../components/responsive';
import { formatDateTime, formatPhone } from '../../format';
import { formatDay, productText, todayIST, weekdayFormats } from '../orders/pickers';
import { DeliveryStatusTag } from '../orders/tags';
import type { Staff } from '../staff/types';
import type { MapAnswer, MapDelivery, MapStaff, Position } from './types';
import './map.css';

// Marker colours by delivery status: the status tags' colours (antd's blue, green, gold, red).
const statusColor: Record<MapDelivery['status'], string> = { pending: '#1677ff', delivered: '#52c41a', partial: '#faad14', failed: '#f5222d' };
// Bengaluru, for a day with nothing to show.
const DEFAULT_CENTRE: [number, number] = [12.9716, 77.5946];

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');

/** A staff member's marker: a badge drawn in HTML (no image files to load), their initials on it. */
const staffIcon = (s: MapStaff) =>
  L.divIcon({
    className: 'field-map-staff',
    html: `<span data-staff-id="${s.staff_id}" title="${s.name.replace(/"/g, '&quot;')}">${initials(s.name)}</span>`,
    iconSize: [30, 30],
    iconAnchor: [15, 15],
  });

/** Fits the map to what it shows when the answer changes (not on every live position: the manager may have panned). */
function FitBounds({ points, token }: { points: [number, number][]; token: string }) {
  const map = useMap();
  useEffect(() => {
    if (points.length === 1) map.setView(points[0], 15);
    else if (points.length > 1) map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 16 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);
  return null;
}

type Live = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'off';

/**
 * Positions posted by the staff's phones while the page is open, by staff id: from GET /api/events (server-sent events;
 * EventSource reconnects by itself). The stream ends when the session does (`end`), and the page says so.
 */
function useLivePositions(enabled: boolean): { positions: Record<string, Position>; live: Live } {
  const [positions, setPositions] = useState<Record<string, Position>>({});
  const [live, setLive] = useState<Live>(enabled ? 'connecting' : 'off');
  useEffect(() => {
    if (!enabled) {
      setLive('off');
      return;
    }
    setLive('connecting');
    const source = new EventSource('/api/events', { withCredentials: true });
    source.addEventListener('ready', () => setLive('live'));
    source.addEventListener('staff.position', (e) => {
      const p = JSON.parse((e as MessageEvent<string>).data) as Position;
      setPositions((all) => (all[p.staff_id] && all[p.staff_id].at > p.at ? all : { ...all, [p.staff_id]: p }));
    });
    source.addEventListener('end', () => {
      source.close();
      setLive('ended');
    });
    source.onerror = () => setLive(source.readyState === EventSource.CLOSED ? 'ended' : 'reconnecting');
    return () => source.close();
  }, [enabled]);
  return { positions, live };
}

const liveBadge: Record<Live, { status: 'success' | 'processing' | 'warning' | 'default' | 'error'; text: string }> = {
  connecting: { status: 'processing', text: 'Connecting…' },
  live: { status: 'success', text: 'Live' },
  reconnecting: { status: 'warning', text: 'Reconnecting…' },
  ended: { status: 'error', text: 'Live updates stopped (signed out)' },
  off: { status: 'default', text: 'Not live (another day)' },
};

/** The live map: a day's deliveries of a shift as markers coloured by status, and where each delivery person is now. */
export function FieldMapPage() {
  const phone = usePhone();
  const [params, setParams] = useSearchParams();
  const date = params.get('date') ?? todayIST();
  const shift = (params.get('shift') === 'evening' ? 'evening' : 'morning') as 'morning' | 'evening';
  const zoneId = params.get('zone_id') ?? undefined;
  const staffId = params.get('staff_id') ?? undefined;
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) (v ? next.set(k, v) : next.delete(k));
    setParams(next, { replace: true });
  };

  const { selectProps: zoneSelect } = useSelect<{ id: string; name: string }>({ resource: 'zones', optionLabel: 'name', optionValue: 'id', defaultValue: zoneId, sorters: [{ field: 'name', order: 'asc' }], pagination: { pageSize: 100 } });
  const { selectProps: staffSelect } = useSelect<Staff>({
    resource: 'staff',
    optionLabel: (s) => `${s.name}${s.zone_name ? ` · ${s.zone_name}` : ''}`,
    optionValue: 'id',
    defaultValue: staffId,
    filters: zoneId ? [{ field: 'zone_id', operator: 'eq', value: zoneId }] : [],
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 100 },
    onSearch: (v) => [{ field: 'q', operator: 'eq', value: v.trim() || undefined }],
  });

  const { query } = useCustom<MapAnswer, HttpError>({
    url: '/map',
    method: 'get',
    config: { query: { date, shift, ...(zoneId ? { zone_id: zoneId } : {}), ...(staffId ? { staff_id: staffId } : {}) } },
  });
  const map = query.data?.data;
  const { positions, live } = useLivePositions(date === todayIST());
  const [tilesFailed, setTilesFailed] = useState(false);

  const placed = useMemo(() => (map?.deliveries ?? []).filter((d) => d.lat !== null && d.lng !== null), [map]);
  const staff = useMemo(() => (map?.staff ?? []).map((s) => ({ ...s, position: positions[s.staff_id] ?? s.position })), [map, positions]);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const d of map?.deliveries ?? []) c[d.status] = (c[d.status] ?? 0) + 1;
    return c;
  }, [map]);
  const points = useMemo<[number, number][]>(
    () => [...placed.map((d) => [d.lat!, d.lng!] as [number, number]), ...(map?.staff ?? []).filter((s) => s.position).map((s) => [s.position!.lat, s.position!.lng] as [number, number])],
    [placed, map],
  );
  const withoutPlace = (map?.deliveries.length ?? 0) - placed.length;
  const tileUrl = map?.tile.url && map.tile.url !== 'none' ? map.tile.url : null;

  return (
    <List title="Live map" headerButtons={<Button icon={<ReloadOutlined />} onClick={() => query.refetch()}>Refresh</Button>}>
      <Form layout={phone ? 'vertical' : 'inline'} style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item label="Day" style={{ marginBottom: phone ? 8 : undefined }}>
          <DatePicker value={dayjs(date)} format={weekdayFormats} allowClear={false} onChange={(d) => d && set({ date: d.format('YYYY-MM-DD') })} style={{ width: phone ? '100%' : undefined }} />
        </Form.Item>
        <Form.Item label="Shift" style={{ marginBottom: phone ? 8 : undefined }}>
          <Radio.Group optionType="button" buttonStyle="solid" value={shift} onChange={(e) => set({ shift: e.target.value })} options={[{ value: 'morning', label: 'Morning' }, { value: 'evening', label: 'Evening' }]} />
        </Form.Item>
        <Form.Item label="Zone" style={{ marginBottom: phone ? 8 : undefined }}>
          <Select options={zoneSelect.options} loading={zoneSelect.loading} value={zoneId} allowClear showSearch optionFilterProp="label" placeholder="All zones" style={{ width: phone ? '100%' : 200 }} onChange={(v) => set({ zone_id: (v as unknown as string) || undefined, staff_id: undefined })} />
        </Form.Item>
        <Form.Item label="Staff" style={{ marginBottom: phone ? 8 : undefined }}>
          <Select options={staffSelect.options} loading={staffSelect.loading} onSearch={staffSelect.onSearch} filterOption={false} value={staffId} allowClear showSearch placeholder="All staff" style={{ width: phone ? '100%' : 220 }} onChange={(v) => set({ staff_id: (v as unknown as string) || undefined })} />
        </Form.Item>
      </Form>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      <Space wrap size={[12, 4]} style={{ marginBottom: 8 }} data-testid="field-map-summary">
        <Badge status={liveBadge[live].status} text={liveBadge[live].text} />
        <Typography.Text type="secondary">
          {formatDay(date)} · {shift}
        </Typography.Text>
        {(['pending', 'delivered', 'partial', 'failed'] as const).map((s) => (
          <Tag key={s} color={statusColor[s]} style={{ marginInlineEnd: 0 }}>
            {s} {counts[s] ?? 0}
          </Tag>
        ))}
        <Tag color="#722ed1" style={{ marginInlineEnd: 0 }}>
          staff {staff.filter((s) => s.position).length}/{staff.length} located
        </Tag>
      </Space>
      {map?.truncated ? <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={`Showing ${map.deliveries.length} of ${map.total} deliveries: pick a zone or a staff member to see them all.`} /> : null}
      {withoutPlace > 0 ? <Alert type="info" showIcon style={{ marginBottom: 8 }} message={`${withoutPlace} ${withoutPlace === 1 ? 'delivery has' : 'deliveries have'} no position on the map (the address has no coordinates).`} /> : null}
      {tilesFailed ? <Alert type="info" showIcon style={{ marginBottom: 8 }} message="Map tiles could not be loaded: markers are shown on a plain background." /> : null}
      <Spin spinning={query.isFetching}>
        <div className="field-map" data-testid="field-map" style={{ height: phone ? 420 : 'calc(100vh - 320px)', minHeight: 360 }}>
          <MapContainer center={DEFAULT_CENTRE} zoom={12} style={{ height: '100%', width: '100%' }} preferCanvas={false}>
            {tileUrl ? <TileLayer url={tileUrl} attribution={map!.tile.attribution} eventHandlers={{ tileerror: () => setTilesFailed(true) }} /> : null}
            <FitBounds points={points} token={`${date}|${shift}|${zoneId}|${staffId}|${map ? 'y' : 'n'}`} />
            {map?.depots.map((d) => (
              <CircleMarker key={d.id} center={[d.lat, d.lng]} radius={9} pathOptions={{ color: '#000', weight: 2, fillColor: '#fff', fillOpacity: 1 }}>
                <Tooltip>Depot: {d.name}</Tooltip>
              </CircleMarker>
            ))}
            {placed.map((d) => (
              <CircleMarker
                key={d.delivery_id}
                center={[d.lat!, d.lng!]}
                radius={7}
                // A prop, not a path option: Leaflet reads className once, when it draws the path.
                className={`field-map-delivery field-map-${d.status}`}
                pathOptions={{ color: '#fff', weight: 1.5, fillColor: statusColor[d.status], fillOpacity: 0.9 }}
              >
                <Popup>
                  <div data-testid="delivery-popup">
                    <b>{d.customer_name}</b> <DeliveryStatusTag status={d.status} />
                    <div>{formatPhone(d.phone)}</div>
                    <div>{d.address_line}</div>
                    <div style={{ margin: '4px 0' }}>
                      {d.items.map((i) => (
                        <div key={`${i.product_name}-${i.unit_size}`}>
                          {productText(i.product_name, i.unit_size)} × <b>{i.quantity}</b>
                          {i.delivered_quantity !== null && i.delivered_quantity !== i.quantity ? ` (got ${i.delivered_quantity})` : ''}
                        </div>
                      ))}
                    </div>
                    <Typography.Text type="secondary">
                      {d.zone_name} · {d.staff_name ?? 'unassigned'}
                    </Typography.Text>
                  </div>
                </Popup>
              </CircleMarker>
            ))}
            {staff
              .filter((s) => s.position)
              .map((s) => (
                <Marker key={s.staff_id} position={[s.position!.lat, s.position!.lng]} icon={staffIcon(s)} zIndexOffset={1000}>
                  <Popup>
                    <b>{s.name}</b>
                    <div>{s.zone_name ?? 'no zone'}</div>
                    <Typography.Text type="secondary">
                      Last seen {formatDateTime(s.position!.at)}
                      {s.position!.accuracy_m !== null ? ` (±${Math.round(s.position!.accuracy_m)} m)` : ''}
                    </Typography.Text>
                  </Popup>
                </Marker>
              ))}
          </MapContainer>
        </div>
      </Spin>
      {map && !map.deliveries.length ? <Empty style={{ marginTop: 12 }} description={`No deliveries on ${formatDay(date)} (${shift}) for these filters. Generate the day's orders, or pick another day, shift or zone.`} /> : null}
      {map && staff.some((s) => !s.position) ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          No position today: {staff.filter((s) => !s.position).map((s) => s.name).join(', ')}.
        </Typography.Paragraph>
      ) : null}
    </List>
  );
}
