/** Shapes shared by API routes. */
import { z } from 'zod';
import { ORGANISATION_TYPES, ROLES } from '../db/schema.ts';

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ name: z.string(), detail: z.string() })).optional(),
  requestId: z.string().optional(),
});

export const OrganisationSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(ORGANISATION_TYPES),
  odsCode: z.string().nullable(),
  areaCode: z.string().nullable(),
  areaName: z.string().nullable(),
  active: z.boolean(),
});

export const MeSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  isPlatformAdmin: z.boolean(),
  memberships: z.array(z.object({ organisationId: z.uuid(), organisationName: z.string(), role: z.enum(ROLES) })),
});

export const problemResponses = { 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema };
