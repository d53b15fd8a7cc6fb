// The 10-field order body that the validation and pipeline benchmarks send, and its schemas.
import { z } from 'zod';

export const orderBody = {
  sku: 'SKU-1042',
  quantity: 3,
  unitPriceCents: 1999,
  currency: 'EUR',
  customerEmail: 'ada@example.com',
  giftWrap: false,
  note: 'Leave at the front desk',
  priority: 'standard',
  couponCode: 'WINTER10',
  shipBy: '2026-12-24',
};

export const orderJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'quantity', 'unitPriceCents', 'currency', 'customerEmail', 'giftWrap', 'note', 'priority', 'couponCode', 'shipBy'],
  properties: {
    sku: { type: 'string', pattern: '^SKU-[0-9]{4}$' },
    quantity: { type: 'integer', minimum: 1, maximum: 100 },
    unitPriceCents: { type: 'integer', minimum: 0 },
    currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] },
    customerEmail: { type: 'string', format: 'email', maxLength: 254 },
    giftWrap: { type: 'boolean' },
    note: { type: 'string', maxLength: 200 },
    priority: { type: 'string', enum: ['standard', 'express'] },
    couponCode: { type: 'string', maxLength: 32 },
    shipBy: { type: 'string', format: 'date' },
  },
} as const;

export const orderZodSchema = z.strictObject({
  sku: z.string().regex(/^SKU-[0-9]{4}$/),
  quantity: z.number().int().min(1).max(100),
  unitPriceCents: z.number().int().min(0),
  currency: z.enum(['EUR', 'USD', 'GBP']),
  customerEmail: z.email().max(254),
  giftWrap: z.boolean(),
  note: z.string().max(200),
  priority: z.enum(['standard', 'express']),
  couponCode: z.string().max(32),
  shipBy: z.iso.date(),
});
