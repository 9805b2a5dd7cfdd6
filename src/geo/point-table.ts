/**
 * A table of named points (postcode, sector or district → latitude, longitude, local authority)
 * held in a few flat arrays: the names sorted in fixed-width slots of one buffer, found by binary
 * search. London alone has 180,000 postcodes; as a Map of small arrays they were half a million
 * objects that stayed for the life of the process, and with them in the heap every young-generation
 * garbage collection took 10-20 ms instead of under 1 ms (docs/benchmarks.md, "Directory"). Here
 * the collector has nothing to walk.
 */
export interface Point {
  latitude: number;
  longitude: number;
  laCode: string | null;
}

export class PointTable {
  readonly size: number;
  private readonly width: number;
  private readonly names: Buffer;
  private readonly latitudes: Float64Array;
  private readonly longitudes: Float64Array;
  private readonly areas: Uint16Array;
  private readonly areaCodes: string[];

  /** Rows of name, latitude, longitude and local authority code ('' when unknown). Names are printable ASCII. */
  constructor(rows: readonly (readonly [string, number, number, string])[]) {
    // Sorted (stably), keeping the last row of a name given twice, as a Map would.
    const sorted = [...rows]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .filter((row, i, all) => all[i + 1]?.[0] !== row[0]);
    this.size = sorted.length;
    this.width = sorted.reduce((w, r) => Math.max(w, r[0].length), 1);
    this.names = Buffer.alloc(this.size * this.width);
    this.latitudes = new Float64Array(this.size);
    this.longitudes = new Float64Array(this.size);
    this.areas = new Uint16Array(this.size);
    this.areaCodes = [''];
    const areaIndex = new Map<string, number>([['', 0]]);
    sorted.forEach(([name, latitude, longitude, la], i) => {
      if (!/^[\x20-\x7e]+$/.test(name)) throw new Error(`A point's name must be printable ASCII: ${JSON.stringify(name)}`);
      this.names.write(name, i * this.width, 'latin1');
      this.latitudes[i] = latitude;
      this.longitudes[i] = longitude;
      let area = areaIndex.get(la);
      if (area === undefined) {
        area = this.areaCodes.push(la) - 1;
        areaIndex.set(la, area);
      }
      this.areas[i] = area;
    });
  }

  /** The point with this exact name, or undefined. */
  get(name: string): Point | undefined {
    if (name.length === 0 || name.length > this.width) return undefined;
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const order = this.compare(name, mid);
      if (order === 0) return { latitude: this.latitudes[mid]!, longitude: this.longitudes[mid]!, laCode: this.areaCodes[this.areas[mid]!] || null };
      if (order < 0) high = mid - 1;
      else low = mid + 1;
    }
    return undefined;
  }

  /** Orders `name` against the name in slot `i`, as the constructor sorted them (a shorter name first). */
  private compare(name: string, i: number): number {
    const start = i * this.width;
    for (let j = 0; j < this.width; j++) {
      const a = j < name.length ? name.charCodeAt(j) : 0;
      const b = this.names[start + j]!;
      if (a !== b) return a - b;
      if (a === 0) return 0;
    }
    return 0;
  }
}
