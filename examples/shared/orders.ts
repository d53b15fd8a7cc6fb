import { randomUUID } from 'node:crypto';

import type { AppDatabase } from './database.js';
import type { OrderInput } from './schema.js';

/** One line of a stored order, priced when the order was placed. */
export interface OrderLine {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/** An order as `GET /orders` lists it: no shipping address, which only the encrypted receipt carries. */
export interface OrderSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly itemCount: number;
  readonly totalCents: number;
}

/** The full order: the body of the encrypted receipt. */
export interface Receipt extends OrderSummary {
  readonly customer: string;
  readonly lines: readonly OrderLine[];
  readonly shipTo: OrderInput['shipTo'];
}

/** Thrown when an order names a SKU that the catalog does not have. */
export class UnknownSkuError extends Error {
  /** The position of the unknown item in `items`. */
  readonly index: number;

  constructor(index: number) {
    super(`items[${index}].sku is not in the catalog.`);
    this.name = 'UnknownSkuError';
    this.index = index;
  }
}

interface OrderRow {
  id: string;
  created_at: string;
  ship_to: string;
  total_cents: number;
  item_count: number;
}

interface LineRow {
  sku: string;
  name: string;
  quantity: number;
  unit_price_cents: number;
}

/** The orders and their lines, always scoped to one user. */
export class OrderRepository {
  readonly #database: AppDatabase;

  constructor(database: AppDatabase) {
    this.#database = database;
  }

  /**
   * Prices the items from the catalog and stores the order in one transaction. Throws
   * {@link UnknownSkuError} when an item names an unknown SKU; nothing is stored then.
   */
  create(userId: string, input: OrderInput): OrderSummary {
    const id = randomUUID();
    const createdAt = new Date().toISOString();
    const findPrice = this.#database.prepare<{ price_cents: number }>('SELECT price_cents FROM products WHERE sku = ?');
    const insertOrder = this.#database.prepare(
      'INSERT INTO orders (id, user_id, created_at, ship_to, total_cents) VALUES (?, ?, ?, ?, ?)',
    );
    const insertLine = this.#database.prepare(
      'INSERT INTO order_items (order_id, line, sku, quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?)',
    );

    const store = this.#database.transaction(() => {
      const prices = input.items.map((item, index) => {
        const product = findPrice.get(item.sku);
        if (!product) {
          throw new UnknownSkuError(index);
        }
        return product.price_cents;
      });

      const totalCents = input.items.reduce((sum, item, index) => sum + item.quantity * prices[index]!, 0);
      insertOrder.run(id, Number(userId), createdAt, JSON.stringify(input.shipTo), totalCents);
      input.items.forEach((item, index) => insertLine.run(id, index, item.sku, item.quantity, prices[index]));
      return totalCents;
    });

    const totalCents = store();
    const itemCount = input.items.reduce((sum, item) => sum + item.quantity, 0);
    return { id, createdAt, itemCount, totalCents };
  }

  /** Lists the user's orders, newest first. */
  list(userId: string): OrderSummary[] {
    const rows = this.#database
      .prepare<OrderRow>(
        `SELECT o.id, o.created_at, o.ship_to, o.total_cents,
                (SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE order_id = o.id) AS item_count
           FROM orders o WHERE o.user_id = ? ORDER BY o.created_at DESC, o.rowid DESC`,
      )
      .all(Number(userId));
    return rows.map(toSummary);
  }

  /**
   * Returns the receipt of one of the user's orders, or undefined when the order does not exist or
   * belongs to someone else: the two cases look the same, so order ids cannot be probed.
   */
  findReceipt(userId: string, orderId: string, customer: string): Receipt | undefined {
    const row = this.#database
      .prepare<OrderRow>(
        `SELECT o.id, o.created_at, o.ship_to, o.total_cents,
                (SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE order_id = o.id) AS item_count
           FROM orders o WHERE o.id = ? AND o.user_id = ?`,
      )
      .get(orderId, Number(userId));
    if (!row) {
      return undefined;
    }

    const lines = this.#database
      .prepare<LineRow>(
        `SELECT i.sku, p.name, i.quantity, i.unit_price_cents
           FROM order_items i JOIN products p ON p.sku = i.sku
          WHERE i.order_id = ? ORDER BY i.line`,
      )
      .all(orderId)
      .map((line) => ({ sku: line.sku, name: line.name, quantity: line.quantity, unitPriceCents: line.unit_price_cents }));

    return { ...toSummary(row), customer, lines, shipTo: JSON.parse(row.ship_to) as Receipt['shipTo'] };
  }
}

function toSummary(row: OrderRow): OrderSummary {
  return { id: row.id, createdAt: row.created_at, itemCount: row.item_count, totalCents: row.total_cents };
}
