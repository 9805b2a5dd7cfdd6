/**
 * The grid the search index files listings under (dir_search_doc.cells, migration 0013): cells of
 * 0.009° of latitude by 0.0145° of longitude, about 1 km square in England. dir_search_cell() in
 * the migration numbers a place's cell; `cellsNear` lists the cells that come within a distance of
 * a point, so a search can ask the index for listings in them before measuring exact distances.
 */
export const CELL_LAT = 0.009;
export const CELL_LNG = 0.0145;
/** More cells than this (a radius of about 12 miles) and the search filters by its box instead. */
export const MAX_CELLS = 500;

const EARTH_RADIUS_M = 6_371_000;
const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;

const row = (lat: number) => Math.floor((lat + 90) / CELL_LAT);
const col = (lng: number) => Math.floor((lng + 180) / CELL_LNG);
const code = (r: number, c: number) => 1_000_000_000 + r * 25_000 + c;

/** The cell a place is in: the same number as dir_search_cell(lat, lng). */
export function cellOf(lat: number, lng: number): number {
  return code(row(lat), col(lng));
}

/**
 * The cells any part of which is within `radius` metres of the point (distance measured as the
 * search measures it: equirectangular, at the point's latitude), or null when there would be more
 * than MAX_CELLS.
 */
export function cellsNear(lat: number, lng: number, radius: number): number[] | null {
  const cos = Math.cos((lat * Math.PI) / 180);
  const dLat = radius / METRES_PER_DEGREE;
  const dLng = dLat / cos;
  const rows = [row(lat - dLat), row(lat + dLat)] as const;
  const cols = [col(lng - dLng), col(lng + dLng)] as const;
  if ((rows[1] - rows[0] + 1) * (cols[1] - cols[0] + 1) > MAX_CELLS * 1.3) return null;
  const cells: number[] = [];
  for (let r = rows[0]; r <= rows[1]; r++) {
    for (let c = cols[0]; c <= cols[1]; c++) {
      // The nearest point of the cell to the origin (a small margin for rounding at the edges).
      const south = r * CELL_LAT - 90;
      const west = c * CELL_LNG - 180;
      const nearLat = Math.min(Math.max(lat, south), south + CELL_LAT);
      const nearLng = Math.min(Math.max(lng, west), west + CELL_LNG);
      const d = METRES_PER_DEGREE * Math.hypot(nearLat - lat, (nearLng - lng) * cos);
      if (d <= radius + 1) cells.push(code(r, c));
    }
  }
  return cells.length <= MAX_CELLS ? cells : null;
}
