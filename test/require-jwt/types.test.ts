import { describe, expectTypeOf, it } from 'vitest';

import { requireJwt, type JwtAuth, type RequireJwtOptions, type WithJwtAuth } from 'bulwark';
import { requireJwt as requireJwtKoa, type JwtState } from 'bulwark/koa';
import type { JwtHeader, JwtPayload } from 'bulwark/core';

import { SECRET } from './fixtures.js';

interface OrderClaims extends JwtPayload {
  tenant: string;
  roles: string[];
}

// These checks run in `tsc --noEmit`: a wrong type fails the type check, not the test run.
describe('requireJwt types', () => {
  it('types auth by the payload generic without global merging', () => {
    const middleware = requireJwt<OrderClaims>({ key: SECRET, isRevoked: (payload) => payload.tenant === 'closed' });
    expectTypeOf(middleware).toBeFunction();

    type Request = WithJwtAuth<OrderClaims>;
    expectTypeOf<NonNullable<Request['auth']>['payload']['tenant']>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<Request['auth']>['protectedHeader']>().toEqualTypeOf<JwtHeader>();
    expectTypeOf<NonNullable<Request['auth']>['token']>().toEqualTypeOf<string>();
    expectTypeOf<JwtAuth<OrderClaims>['payload']['roles']>().toEqualTypeOf<string[]>();
  });

  it('types Koa state by the payload generic', () => {
    requireJwtKoa<OrderClaims>({ key: SECRET, getToken: (context) => context.get('x-access-token') });
    expectTypeOf<NonNullable<JwtState<OrderClaims>['auth']>['payload']['tenant']>().toEqualTypeOf<string>();
  });

  it('makes the options readonly', () => {
    expectTypeOf<RequireJwtOptions['scopes']>().toEqualTypeOf<
      readonly string[] | { readonly allOf?: readonly string[]; readonly anyOf?: readonly string[] } | undefined
    >();
  });
});
