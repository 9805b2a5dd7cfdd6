/** Rows to API shapes: explicit, so a new column never leaks by accident. */
import type { Organisation } from '../db/schema.ts';

export function presentOrganisation(o: Organisation) {
  return {
    id: o.id,
    name: o.name,
    type: o.type,
    odsCode: o.ods_code,
    areaCode: o.area_code,
    areaName: o.area_name,
    active: o.active,
  };
}
