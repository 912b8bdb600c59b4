'use strict';
// Benchmark 4's payload: a ~1 KB Jinja body template for our Templated Webhook, the n8n expression
// that builds the same JSON for the HTTP Request node, the items both get, and a plain-JS reference
// of the body each item must produce (to check what the receiver got).

const TEMPLATE = `{
  "event": {{ event.type | tojson }},
  "event_id": {{ event.id | tojson }},
  "occurred_at": {{ event.at | tojson }},
  "customer": {
    "email": {{ profile.email | trim | lower | tojson }},
    "first_name": {{ profile.firstname | default("") | tojson }},
    "last_name": {{ profile.lastname | default("") | tojson }},
    "opted_in": {{ (profile.marketing_optin == "EXPLICITLY_OPTEDIN") | tojson }},
    "city": {{ profile.address.city | title | tojson }},
    "country": {{ profile.address.country | upper | tojson }},
    "tags": {{ profile.tags | default([]) | join(",") | tojson }}
  },
  "order": {
    "id": {{ order.id | tojson }},
    "currency": {{ order.currency | default("GBP") | tojson }},
    "total": {{ order.total | tojson }},
    "coupon": {{ order.coupon | default(none) | tojson }},
    "item_count": {{ order.lines | length }},
    "lines": [{% for line in order.lines %}
      {
        "sku": {{ line.sku | tojson }},
        "title": {{ line.title | tojson }},
        "quantity": {{ line.qty | tojson }},
        "unit_price": {{ line.price | tojson }},
        "gift": {{ line.gift | default(false) | tojson }}
      }{% if not loop.last %},{% endif %}{% endfor %}
    ]
  },
  "source": "n8n"
}`;

// The same body as an n8n expression (the HTTP Request node's JSON body). Jinja's `title` filter is
// written out: first letter of each word upper case, the rest lower case.
const EXPRESSION_BODY = `JSON.stringify({
  event: $json.event.type,
  event_id: $json.event.id,
  occurred_at: $json.event.at,
  customer: {
    email: $json.profile.email.trim().toLowerCase(),
    first_name: $json.profile.firstname === undefined ? '' : $json.profile.firstname,
    last_name: $json.profile.lastname === undefined ? '' : $json.profile.lastname,
    opted_in: $json.profile.marketing_optin === 'EXPLICITLY_OPTEDIN',
    city: $json.profile.address.city.replace(/[A-Za-z0-9]+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()),
    country: $json.profile.address.country.toUpperCase(),
    tags: ($json.profile.tags || []).join(','),
  },
  order: {
    id: $json.order.id,
    currency: $json.order.currency || 'GBP',
    total: $json.order.total,
    coupon: $json.order.coupon === undefined ? null : $json.order.coupon,
    item_count: $json.order.lines.length,
    lines: $json.order.lines.map((line) => ({
      sku: line.sku,
      title: line.title,
      quantity: line.qty,
      unit_price: line.price,
      gift: line.gift === undefined ? false : line.gift,
    })),
  },
  source: 'n8n',
})`;

const EXPRESSION = `={{ ${EXPRESSION_BODY} }}`;

const TITLES = ['Wool Scarf', 'Knit Hat "Nordic"', 'Leather Gloves – brown', 'Cashmere Socks', 'Rain Jacket'];

/** Item `i` of a run (`seed` makes event ids unique per run): nested fields, 2-4 order lines, optional fields. */
function itemFor(i, seed = 1) {
	const lines = [];
	for (let l = 0; l < 2 + (i % 3); l++) {
		const line = { sku: `SKU-${(i * 7 + l) % 500}`, title: TITLES[(i + l) % TITLES.length], qty: 1 + ((i + l) % 4), price: 9.95 + ((i + l) % 5) * 10 };
		if ((i + l) % 5 === 0) line.gift = true;
		lines.push(line);
	}
	const item = {
		event: { type: 'order_placed', id: `evt-${seed}-${i}`, at: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString() },
		profile: {
			email: ` Customer.${i}@Example.com `,
			firstname: `First${i}`,
			lastname: i % 10 === 0 ? undefined : `O'Last "${i}"`,
			marketing_optin: i % 3 === 0 ? 'EXPLICITLY_OPTEDIN' : 'NOT_SPECIFIED',
			address: { city: i % 2 ? 'london' : 'new york', country: i % 2 ? 'gb' : 'us' },
			tags: i % 4 === 0 ? ['vip', 'newsletter'] : ['newsletter'],
		},
		order: { id: `ORD-${seed}-${i}`, currency: 'GBP', total: Math.round(lines.reduce((sum, line) => sum + line.qty * line.price, 0) * 100) / 100, lines },
	};
	if (item.profile.lastname === undefined) delete item.profile.lastname;
	if (i % 4 === 1) item.order.coupon = 'WELCOME10';
	return item;
}

/** The JSON value both sides must send for an item (what the receiver's bodies are compared with). */
function expectedBody(item) {
	const title = (text) => text.replace(/[A-Za-z0-9]+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
	return {
		event: item.event.type,
		event_id: item.event.id,
		occurred_at: item.event.at,
		customer: {
			email: item.profile.email.trim().toLowerCase(),
			first_name: item.profile.firstname ?? '',
			last_name: item.profile.lastname ?? '',
			opted_in: item.profile.marketing_optin === 'EXPLICITLY_OPTEDIN',
			city: title(item.profile.address.city),
			country: item.profile.address.country.toUpperCase(),
			tags: (item.profile.tags ?? []).join(','),
		},
		order: {
			id: item.order.id,
			currency: item.order.currency ?? 'GBP',
			total: item.order.total,
			coupon: item.order.coupon ?? null,
			item_count: item.order.lines.length,
			lines: item.order.lines.map((line) => ({ sku: line.sku, title: line.title, quantity: line.qty, unit_price: line.price, gift: line.gift ?? false })),
		},
		source: 'n8n',
	};
}

module.exports = { TEMPLATE, EXPRESSION, EXPRESSION_BODY, TITLES, itemFor, expectedBody };
