import { ArrowDownOutlined, ArrowUpOutlined, HolderOutlined, NodeIndexOutlined, SwapOutlined } from '@ant-design/icons';
import { closestCenter, DndContext, type DragEndEvent, KeyboardSensor, PointerSensor, useSensor, useSensors } from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { type HttpError, useCan, useCustomMutation } from '@refinedev/core';
import { Alert, Button, Card, Popconfirm, Space, Statistic, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { RunOrder } from '../field-map/types';
import type { RunSheet, RunSheetStop } from './types';

/** Metres as a person reads them: "850 m", "12.4 km". */
export const formatDistance = (m: number) => (m < 1000 ? `${m} m` : `${(m / 1000).toFixed(1)} km`);

interface Place {
  address_id: string;
  customers: string;
  line: string;
  located: boolean;
}

/** The run's distinct addresses in the sheet's order (two orders at one door are one stop). */
function placesOf(stops: RunSheetStop[]): Place[] {
  const byAddress = new Map<string, Place>();
  for (const s of stops) {
    const p = byAddress.get(s.address_id);
    if (p) p.customers = p.customers.includes(s.customer_name) ? p.customers : `${p.customers}, ${s.customer_name}`;
    else byAddress.set(s.address_id, { address_id: s.address_id, customers: s.customer_name, line: [s.address.line1, s.address.pin_code].filter(Boolean).join(' · '), located: s.address.lat !== null });
  }
  return [...byAddress.values()];
}

function SortableStop({ place, index, count, move }: { place: Place; index: number; count: number; move: (from: number, to: number) => void }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: place.address_id });
  return (
    <li
      ref={setNodeRef}
      data-testid="route-stop"
      data-address-id={place.address_id}
      className="route-stop"
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1, zIndex: isDragging ? 2 : undefined }}
    >
      <span className="route-stop-handle" aria-label={`Drag stop ${index + 1}`} {...attributes} {...listeners}>
        <HolderOutlined />
      </span>
      <span className="route-stop-number">{index + 1}</span>
      <span className="route-stop-text">
        <b>{place.customers}</b>
        <Typography.Text type="secondary" style={{ display: 'block' }}>
          {place.line}
          {place.located ? '' : ' · no position: left out of the distance'}
        </Typography.Text>
      </span>
      <Space.Compact>
        <Button size="small" icon={<ArrowUpOutlined />} aria-label="Move up" disabled={index === 0} onClick={() => move(index, index - 1)} />
        <Button size="small" icon={<ArrowDownOutlined />} aria-label="Move down" disabled={index === count - 1} onClick={() => move(index, index + 1)} />
      </Space.Compact>
    </li>
  );
}

/**
 * One staff member's run on the run sheet page: where it starts, its length, and the manager's two ways to order it:
 * Optimise (from the zone's depot: POST /api/run-sheets/optimise) and Reorder by dragging (POST /api/run-sheets/order).
 * Both keep the order for the run's next days; the sheet (and its print) reloads in the new order.
 */
export function RoutePanel({ sheet, staffId, onSaved }: { sheet: RunSheet; staffId: string; onSaved: () => void }) {
  const { data: canEdit } = useCan({ resource: 'run-sheets', action: 'edit' });
  const { mutateAsync, mutation } = useCustomMutation<RunOrder>();
  const [editing, setEditing] = useState<Place[] | null>(null);
  const places = useMemo(() => placesOf(sheet.stops), [sheet]);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const route = sheet.route;
  if (!route || !sheet.stops.length) return null;

  const move = (from: number, to: number) => setEditing((list) => (list ? arrayMove(list, from, to) : list));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id || !editing) return;
    move(
      editing.findIndex((p) => p.address_id === active.id),
      editing.findIndex((p) => p.address_id === over.id),
    );
  };
  const send = async (url: string, values: object, done: string) => {
    try {
      const answer = await mutateAsync({
        url,
        method: 'post',
        values: { staff_id: staffId, shift: sheet.shift, date: sheet.date, ...values },
        successNotification: (data) => ({ type: 'success', message: done, description: `Distance ${formatDistance((data?.data as RunOrder | undefined)?.distance_m ?? 0)}; kept for this run's next days.` }),
        errorNotification: (error?: HttpError) => ({ type: 'error', message: error?.message ?? 'The server did not answer.', description: 'The order was not saved' }),
      });
      setEditing(null);
      onSaved();
      return answer;
    } catch {
      /* the notification says why */
    }
  };

  return (
    <Card size="small" className="run-sheet-no-print" style={{ marginBottom: 16 }} data-testid="route-panel">
      <Space wrap size={[24, 8]} align="center" style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space size={24} wrap>
          <Statistic title="Route distance" value={formatDistance(route.distance_m)} data-testid="route-distance" />
          <div>
            <Typography.Text type="secondary">Starts at</Typography.Text>
            <div>{route.depot ? <b>{route.depot.name}</b> : <Typography.Text type="warning">the first stop (this zone has no depot)</Typography.Text>}</div>
            <Typography.Text type="secondary">{route.ordered ? 'Order kept for this run' : 'Not ordered yet: by PIN code and street'}</Typography.Text>
          </div>
        </Space>
        {canEdit?.can && !editing ? (
          <Space wrap>
            <Popconfirm
              title="Optimise this run?"
              description="The stops are put in the shortest order found from the depot; the order you set before is replaced."
              okText="Optimise"
              onConfirm={() => send('/run-sheets/optimise', {}, 'Run optimised')}
            >
              <Button type="primary" icon={<NodeIndexOutlined />} loading={mutation.isPending}>
                Optimise route
              </Button>
            </Popconfirm>
            <Button icon={<SwapOutlined />} onClick={() => setEditing(places)}>
              Reorder
            </Button>
          </Space>
        ) : null}
      </Space>
      {editing ? (
        <div style={{ marginTop: 12 }}>
          <Alert type="info" showIcon style={{ marginBottom: 8 }} message="Drag the stops (or use the arrows) into the order the van drives them, then save." />
          <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
            <SortableContext items={editing.map((p) => p.address_id)} strategy={verticalListSortingStrategy}>
              <ol className="route-stops" data-testid="route-stops">
                {editing.map((p, i) => (
                  <SortableStop key={p.address_id} place={p} index={i} count={editing.length} move={move} />
                ))}
              </ol>
            </SortableContext>
          </DndContext>
          <Space style={{ marginTop: 8 }}>
            <Button type="primary" loading={mutation.isPending} onClick={() => send('/run-sheets/order', { address_ids: editing.map((p) => p.address_id) }, 'Order saved')}>
              Save order
            </Button>
            <Button onClick={() => setEditing(null)}>Cancel</Button>
          </Space>
        </div>
      ) : null}
    </Card>
  );
}
