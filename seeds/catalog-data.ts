// A believable Bengaluru dairy-and-grocery catalogue. Prices in paise; GST in basis points
// (fresh milk, curd and paneer are exempt; butter, ghee, cheese, milk drinks and packaged staples 5% since the
// September 2025 change, which removed the 12% slab). Every rate used here is a row of gst_rates (migration 0012).
export const productCatalogue = [
  { name: 'Toned Milk 500 ml', sku: 'MILK-TONED-500', category: 'milk', unit: 'packet', unit_size: '500 ml', price_paise: 2700, hsn_code: '0401', gst_rate_bp: 0 },
  { name: 'Toned Milk 1 L', sku: 'MILK-TONED-1L', category: 'milk', unit: 'packet', unit_size: '1 L', price_paise: 5200, hsn_code: '0401', gst_rate_bp: 0 },
  { name: 'Full Cream Milk 500 ml', sku: 'MILK-FC-500', category: 'milk', unit: 'packet', unit_size: '500 ml', price_paise: 3300, hsn_code: '0401', gst_rate_bp: 0 },
  { name: 'Full Cream Milk 1 L', sku: 'MILK-FC-1L', category: 'milk', unit: 'packet', unit_size: '1 L', price_paise: 6600, hsn_code: '0401', gst_rate_bp: 0 },
  { name: 'Double Toned Milk 500 ml', sku: 'MILK-DT-500', category: 'milk', unit: 'packet', unit_size: '500 ml', price_paise: 2500, hsn_code: '0401', gst_rate_bp: 0 },
  { name: 'A2 Cow Milk 1 L', sku: 'MILK-A2-1L', category: 'milk', unit: 'bottle', unit_size: '1 L', price_paise: 9000, hsn_code: '0401', gst_rate_bp: 0 },
  { name: 'Buffalo Milk 1 L', sku: 'MILK-BUF-1L', category: 'milk', unit: 'litre', unit_size: '1 L', price_paise: 8000, hsn_code: '0401', gst_rate_bp: 0 },
  { name: 'Curd 500 g', sku: 'CURD-500', category: 'curd', unit: 'packet', unit_size: '500 g', price_paise: 3500, hsn_code: '0403', gst_rate_bp: 0 },
  { name: 'Curd 1 kg', sku: 'CURD-1KG', category: 'curd', unit: 'packet', unit_size: '1 kg', price_paise: 6500, hsn_code: '0403', gst_rate_bp: 0 },
  { name: 'Paneer 200 g', sku: 'PANEER-200', category: 'paneer', unit: 'packet', unit_size: '200 g', price_paise: 9000, hsn_code: '0406', gst_rate_bp: 0 },
  { name: 'Buttermilk 200 ml', sku: 'BMILK-200', category: 'beverages', unit: 'packet', unit_size: '200 ml', price_paise: 1200, hsn_code: '0403', gst_rate_bp: 0 },
  { name: 'Butter 100 g', sku: 'BUTTER-100', category: 'butter', unit: 'piece', unit_size: '100 g', price_paise: 5800, hsn_code: '0405', gst_rate_bp: 500 },
  { name: 'Butter 500 g', sku: 'BUTTER-500', category: 'butter', unit: 'piece', unit_size: '500 g', price_paise: 28500, hsn_code: '0405', gst_rate_bp: 500 },
  { name: 'Cow Ghee 500 ml', sku: 'GHEE-500', category: 'ghee', unit: 'bottle', unit_size: '500 ml', price_paise: 36000, hsn_code: '0405', gst_rate_bp: 500 },
  { name: 'Cow Ghee 1 L', sku: 'GHEE-1L', category: 'ghee', unit: 'bottle', unit_size: '1 L', price_paise: 69000, hsn_code: '0405', gst_rate_bp: 500 },
  { name: 'Cheese Slices 200 g', sku: 'CHEESE-200', category: 'cheese', unit: 'packet', unit_size: '200 g', price_paise: 14500, hsn_code: '0406', gst_rate_bp: 500 },
  { name: 'Brown Bread 400 g', sku: 'BREAD-BRN-400', category: 'bakery', unit: 'packet', unit_size: '400 g', price_paise: 5000, hsn_code: '1905', gst_rate_bp: 0 },
  { name: 'White Bread 400 g', sku: 'BREAD-WHT-400', category: 'bakery', unit: 'packet', unit_size: '400 g', price_paise: 4500, hsn_code: '1905', gst_rate_bp: 0 },
  { name: 'Eggs (6)', sku: 'EGGS-6', category: 'eggs', unit: 'packet', unit_size: '6 pcs', price_paise: 4800, hsn_code: '0407', gst_rate_bp: 0 },
  { name: 'Eggs (12)', sku: 'EGGS-12', category: 'eggs', unit: 'dozen', unit_size: '12 pcs', price_paise: 9000, hsn_code: '0407', gst_rate_bp: 0 },
  { name: 'Filter Coffee Powder 200 g', sku: 'COFFEE-200', category: 'grocery', unit: 'packet', unit_size: '200 g', price_paise: 16000, hsn_code: '0901', gst_rate_bp: 500 },
  { name: 'Sona Masoori Rice 5 kg', sku: 'RICE-SM-5KG', category: 'grocery', unit: 'packet', unit_size: '5 kg', price_paise: 42000, hsn_code: '1006', gst_rate_bp: 500 },
  { name: 'Toor Dal 1 kg', sku: 'DAL-TOOR-1KG', category: 'grocery', unit: 'packet', unit_size: '1 kg', price_paise: 16500, hsn_code: '0713', gst_rate_bp: 500 },
  { name: 'Groundnut Oil 1 L', sku: 'OIL-GN-1L', category: 'grocery', unit: 'bottle', unit_size: '1 L', price_paise: 19500, hsn_code: '1508', gst_rate_bp: 500 },
  { name: 'Sugar 1 kg', sku: 'SUGAR-1KG', category: 'grocery', unit: 'packet', unit_size: '1 kg', price_paise: 4800, hsn_code: '1701', gst_rate_bp: 500 },
  { name: 'Flavoured Milk 200 ml', sku: 'FMILK-200', category: 'beverages', unit: 'bottle', unit_size: '200 ml', price_paise: 3000, hsn_code: '0402', gst_rate_bp: 500 },
] as const;

export const requestedProducts = [
  { name: 'Organic Jaggery 500 g', category: 'grocery', unit: 'packet', unit_size: '500 g', price_paise: 9500, hsn_code: '1701', gst_rate_bp: 500, note: 'Several Jayanagar customers asked for it.' },
  { name: 'Mishti Doi 400 g', category: 'curd', unit: 'packet', unit_size: '400 g', price_paise: 8500, hsn_code: '0403', gst_rate_bp: 0, note: 'Seasonal, for festival weeks.' },
  { name: 'Goat Milk 500 ml', category: 'milk', unit: 'bottle', unit_size: '500 ml', price_paise: 12000, hsn_code: '0401', gst_rate_bp: 0, note: 'Requested by a paediatric clinic.' },
  { name: 'Ragi Flour 1 kg', category: 'grocery', unit: 'packet', unit_size: '1 kg', price_paise: 7200, hsn_code: '1102', gst_rate_bp: 500, note: 'Local mill, weekly supply.' },
  { name: 'Greek Yoghurt 400 g', category: 'curd', unit: 'packet', unit_size: '400 g', price_paise: 16000, hsn_code: '0403', gst_rate_bp: 500, note: '' },
  { name: 'Khoa 250 g', category: 'sweets', unit: 'packet', unit_size: '250 g', price_paise: 11000, hsn_code: '0402', gst_rate_bp: 500, note: 'For Diwali orders.' },
  { name: 'Multigrain Bread 400 g', category: 'bakery', unit: 'packet', unit_size: '400 g', price_paise: 6500, hsn_code: '1905', gst_rate_bp: 0, note: '' },
  { name: 'Lactose-free Milk 1 L', category: 'milk', unit: 'packet', unit_size: '1 L', price_paise: 9900, hsn_code: '0401', gst_rate_bp: 0, note: 'Asked in three support tickets.' },
  { name: 'Cold Pressed Coconut Oil 500 ml', category: 'grocery', unit: 'bottle', unit_size: '500 ml', price_paise: 29000, hsn_code: '1513', gst_rate_bp: 500, note: '' },
  { name: 'Salted Lassi 200 ml', category: 'beverages', unit: 'bottle', unit_size: '200 ml', price_paise: 2500, hsn_code: '0403', gst_rate_bp: 0, note: '' },
  { name: 'Almond Milk 1 L', category: 'beverages', unit: 'bottle', unit_size: '1 L', price_paise: 32000, hsn_code: '2202', gst_rate_bp: 500, note: 'Vegan customers in Whitefield.' },
  { name: 'Country Eggs (6)', category: 'eggs', unit: 'packet', unit_size: '6 pcs', price_paise: 7800, hsn_code: '0407', gst_rate_bp: 0, note: '' },
] as const;

// Zone centres (lat, lng) and PIN codes of real Bengaluru neighbourhoods.
export const zoneData = [
  { name: 'Indiranagar', lat: 12.9719, lng: 77.6412, pins: ['560038', '560008'] },
  { name: 'Koramangala', lat: 12.9352, lng: 77.6245, pins: ['560034', '560095'] },
  { name: 'HSR Layout', lat: 12.9116, lng: 77.6389, pins: ['560102'] },
  { name: 'Jayanagar', lat: 12.925, lng: 77.5938, pins: ['560011', '560041'] },
  { name: 'Whitefield', lat: 12.9698, lng: 77.75, pins: ['560066', '560048'] },
  { name: 'Malleshwaram', lat: 13.0035, lng: 77.5709, pins: ['560003', '560055'] },
  { name: 'JP Nagar', lat: 12.9063, lng: 77.5857, pins: ['560078'] },
  { name: 'BTM Layout', lat: 12.9166, lng: 77.6101, pins: ['560076', '560029'] },
] as const;

export const firstNames = ['Aarav', 'Ananya', 'Arjun', 'Deepa', 'Divya', 'Ganesh', 'Harini', 'Ishaan', 'Kavya', 'Karthik', 'Lakshmi', 'Manjunath', 'Meera', 'Naveen', 'Nandini', 'Pooja', 'Prakash', 'Priya', 'Rahul', 'Ramesh', 'Rekha', 'Rohit', 'Sanjay', 'Shreya', 'Sneha', 'Srinivas', 'Suresh', 'Swati', 'Varun', 'Vidya', 'Vikram', 'Yamini', 'Farah', 'Imran', 'Joseph', 'Mary', 'Anil', 'Bhavana', 'Chetan', 'Gayathri'];
export const lastNames = ['Rao', 'Reddy', 'Iyer', 'Shetty', 'Gowda', 'Nair', 'Sharma', 'Kumar', 'Hegde', 'Menon', 'Bhat', 'Patil', 'Naidu', 'Pillai', 'Krishnan', 'Murthy', 'Joshi', 'Khan', 'DSouza', 'Agarwal'];
export const streets = ['1st Main Road', '2nd Cross', '5th Main', '12th Cross', '100 Feet Road', '80 Feet Road', 'CMH Road', '17th Main', 'Sarjapur Road', 'Double Road', '9th Block', '27th Main', 'Outer Ring Road', 'Temple Street'];
export const landmarks = ['', '', 'Near BDA Complex', 'Opp. Ganesha Temple', 'Behind Cafe Coffee Day', 'Near Metro Station', 'Next to HDFC Bank', 'Near Government School'];
