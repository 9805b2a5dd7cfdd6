/**
 * The areas an organisation can serve: the 32 London boroughs and the City of London, by their
 * ONS local authority codes (source: ONS, Open Government Licence v3.0). Organisations elsewhere
 * record another local authority by name and code.
 */
export interface Area {
  code: string;
  name: string;
}

export const LONDON_AREAS: readonly Area[] = [
  { code: 'E09000001', name: 'City of London' },
  { code: 'E09000002', name: 'Barking and Dagenham' },
  { code: 'E09000003', name: 'Barnet' },
  { code: 'E09000004', name: 'Bexley' },
  { code: 'E09000005', name: 'Brent' },
  { code: 'E09000006', name: 'Bromley' },
  { code: 'E09000007', name: 'Camden' },
  { code: 'E09000008', name: 'Croydon' },
  { code: 'E09000009', name: 'Ealing' },
  { code: 'E09000010', name: 'Enfield' },
  { code: 'E09000011', name: 'Greenwich' },
  { code: 'E09000012', name: 'Hackney' },
  { code: 'E09000013', name: 'Hammersmith and Fulham' },
  { code: 'E09000014', name: 'Haringey' },
  { code: 'E09000015', name: 'Harrow' },
  { code: 'E09000016', name: 'Havering' },
  { code: 'E09000017', name: 'Hillingdon' },
  { code: 'E09000018', name: 'Hounslow' },
  { code: 'E09000019', name: 'Islington' },
  { code: 'E09000020', name: 'Kensington and Chelsea' },
  { code: 'E09000021', name: 'Kingston upon Thames' },
  { code: 'E09000022', name: 'Lambeth' },
  { code: 'E09000023', name: 'Lewisham' },
  { code: 'E09000024', name: 'Merton' },
  { code: 'E09000025', name: 'Newham' },
  { code: 'E09000026', name: 'Redbridge' },
  { code: 'E09000027', name: 'Richmond upon Thames' },
  { code: 'E09000028', name: 'Southwark' },
  { code: 'E09000029', name: 'Sutton' },
  { code: 'E09000030', name: 'Tower Hamlets' },
  { code: 'E09000031', name: 'Waltham Forest' },
  { code: 'E09000032', name: 'Wandsworth' },
  { code: 'E09000033', name: 'Westminster' }

];

export function areaName(code: string | null): string | null {
  if (!code) return null;
  return LONDON_AREAS.find((a) => a.code === code)?.name ?? null;
}
