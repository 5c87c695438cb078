// How an old product becomes a Milkrun product: category, unit, HSN code and GST rate from its name and category.
// Fresh milk, curd, buttermilk, paneer, eggs and plain bread are exempt; butter and ghee 5% (the slab since Sept 2025).

type Unit = 'packet' | 'litre' | 'ml' | 'kg' | 'g' | 'piece' | 'dozen' | 'bottle';

interface TaxClass {
  test: RegExp;
  category: string;
  hsn: string;
  gst: number;
  unit: Unit;
}

// First match wins, so "buttermilk" is caught before "butter" and "milk".
const classes: TaxClass[] = [
  { test: /butter ?milk|lassi|chaas/i, category: 'beverages', hsn: '0403', gst: 0, unit: 'packet' },
  { test: /curd|dahi|yog(h)?urt/i, category: 'curd', hsn: '0403', gst: 0, unit: 'packet' },
  { test: /paneer/i, category: 'paneer', hsn: '0406', gst: 0, unit: 'packet' },
  { test: /cheese/i, category: 'cheese', hsn: '0406', gst: 500, unit: 'packet' },
  { test: /ghee/i, category: 'ghee', hsn: '0405', gst: 500, unit: 'bottle' },
  { test: /butter/i, category: 'butter', hsn: '0405', gst: 500, unit: 'piece' },
  { test: /milk/i, category: 'milk', hsn: '0401', gst: 0, unit: 'packet' },
  { test: /\beggs?\b/i, category: 'eggs', hsn: '0407', gst: 0, unit: 'packet' },
  { test: /bread|pav|bun/i, category: 'bakery', hsn: '1905', gst: 0, unit: 'packet' },
];

/** Goods the table does not know: the standard 18% under "food preparations n.e.c.", listed in the report for review. */
const unclassified = { hsn: '2106', gst: 1800 };

const plainUnits: Record<string, Unit> = {
  packet: 'packet', pack: 'packet', pkt: 'packet', litre: 'litre', liter: 'litre', l: 'litre', ltr: 'litre',
  ml: 'ml', kg: 'kg', g: 'g', gm: 'g', gram: 'g', piece: 'piece', pc: 'piece', pcs: 'piece', dozen: 'dozen', bottle: 'bottle',
};

const sizeRe = /^(\d+(?:\.\d+)?)\s*(ml|l|ltr|litre|liter|g|gm|gms|kg|pc|pcs|pieces?)$/i;
const sizeLabel: Record<string, string> = { ml: 'ml', l: 'L', ltr: 'L', litre: 'L', liter: 'L', g: 'g', gm: 'g', gms: 'g', kg: 'kg', pc: 'pcs', pcs: 'pcs', piece: 'pcs', pieces: 'pcs' };

export interface CatalogMapping {
  category: string;
  unit: Unit;
  unit_size: string;
  hsn_code: string;
  gst_rate_bp: number;
  classified: boolean;
}

/** "500ml" -> a packet of "500 ml"; "litre" -> sold by the litre; the pack kind comes from what the product is. */
export function catalogMapping(name: string, legacyCategory: string, legacyUnit: string): CatalogMapping {
  const haystack = `${name} ${legacyCategory}`;
  const cls = classes.find((c) => c.test.test(name)) ?? classes.find((c) => c.test.test(haystack));
  const unitText = legacyUnit.trim().toLowerCase();
  const size = sizeRe.exec(unitText);
  let unit: Unit = cls?.unit ?? 'packet';
  let unit_size = '';
  if (size) unit_size = `${size[1]} ${sizeLabel[size[2].toLowerCase()]}`;
  else if (plainUnits[unitText]) unit = plainUnits[unitText];
  else unit_size = legacyUnit.trim().slice(0, 40);
  return {
    category: cls?.category ?? (legacyCategory.trim().toLowerCase() || 'grocery'),
    unit,
    unit_size,
    hsn_code: cls?.hsn ?? unclassified.hsn,
    gst_rate_bp: cls?.gst ?? unclassified.gst,
    classified: Boolean(cls),
  };
}

/** A SKU from the name: "Eggs (6)" -> "EGGS-6", "Toned Milk 500ml" -> "TONED-MILK-500ML". */
export function skuFromName(name: string): string {
  const base = name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 36)
    .replace(/-+$/, '');
  return base || 'LEGACY';
}

/** The first of BASE, BASE-2, BASE-3 ... that is not taken. */
export function uniqueSku(base: string, taken: Set<string>): string {
  let sku = base;
  for (let n = 2; taken.has(sku); n++) sku = `${base}-${n}`;
  taken.add(sku);
  return sku;
}
