/**
 * Barnes–Hut quadtree for t-SNE's repulsive forces: a cell far enough away (half-width < theta × distance)
 * acts as one point of its total mass at its centre of mass, turning O(n²) into about O(n log n).
 * Nodes live in flat typed arrays reused across iterations, because a tree is rebuilt every iteration.
 */

const NO_CHILDREN = -1;
// Deep enough for float64 cell widths to stay meaningful; points closer than that share a leaf.
const MAX_DEPTH = 40;

export class BarnesHutQuadTree {
  private capacity = 0;
  private nodeCount = 0;
  private centreX = new Float64Array(0);
  private centreY = new Float64Array(0);
  private halfWidth = new Float64Array(0);
  private massX = new Float64Array(0);
  private massY = new Float64Array(0);
  private mass = new Int32Array(0);
  private firstChild = new Int32Array(0);
  private readonly stack = new Int32Array(4 * MAX_DEPTH + 8);

  /** Rebuilds the tree over points stored as [x0, y0, x1, y1, …]. */
  build(positions: Float64Array): void {
    const n = positions.length / 2;
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i += 1) {
      const x = positions[2 * i]!;
      const y = positions[2 * i + 1]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    this.nodeCount = 0;
    const root = this.allocate(1);
    this.centreX[root] = (minX + maxX) / 2;
    this.centreY[root] = (minY + maxY) / 2;
    // Slack so points on the far edge still fall strictly inside the root cell.
    this.halfWidth[root] = Math.max(maxX - minX, maxY - minY) / 2 + 1e-5;
    for (let i = 0; i < n; i += 1) this.insert(positions[2 * i]!, positions[2 * i + 1]!);
  }

  /**
   * Adds the repulsion felt at (x, y) — Σ q² (y_i − y_j) with q = 1 / (1 + d²) — into force[0..1] and
   * returns Σ q, this point's share of t-SNE's normalisation Z. The point itself is assumed to be in the tree.
   */
  accumulateRepulsion(x: number, y: number, theta: number, force: Float64Array): number {
    const thetaSquared = theta * theta;
    let sumQ = 0;
    let forceX = 0;
    let forceY = 0;
    let top = 0;
    this.stack[top++] = 0;
    while (top > 0) {
      const node = this.stack[--top]!;
      const mass = this.mass[node]!;
      if (mass === 0) continue;
      const dx = x - this.massX[node]!;
      const dy = y - this.massY[node]!;
      const distanceSquared = dx * dx + dy * dy;
      const child = this.firstChild[node]!;
      const halfWidth = this.halfWidth[node]!;
      if (child === NO_CHILDREN || halfWidth * halfWidth < thetaSquared * distanceSquared) {
        if (distanceSquared === 0) {
          // The leaf holding this point (and any exact duplicates): duplicates add q = 1, no force.
          sumQ += mass - 1;
          continue;
        }
        const q = 1 / (1 + distanceSquared);
        const massQ = mass * q;
        sumQ += massQ;
        forceX += massQ * q * dx;
        forceY += massQ * q * dy;
      } else {
        this.stack[top++] = child;
        this.stack[top++] = child + 1;
        this.stack[top++] = child + 2;
        this.stack[top++] = child + 3;
      }
    }
    force[0]! += forceX;
    force[1]! += forceY;
    return sumQ;
  }

  private insert(x: number, y: number): void {
    let node = 0;
    for (let depth = 0; ; depth += 1) {
      const previousMass = this.mass[node]!;
      const previousX = this.massX[node]!;
      const previousY = this.massY[node]!;
      const mass = previousMass + 1;
      this.mass[node] = mass;
      this.massX[node] = previousX + (x - previousX) / mass;
      this.massY[node] = previousY + (y - previousY) / mass;
      if (previousMass === 0) return;

      let child = this.firstChild[node]!;
      if (child === NO_CHILDREN) {
        // A leaf already holding points at (previousX, previousY): keep duplicates together, else split.
        if (depth >= MAX_DEPTH || (previousX === x && previousY === y)) return;
        child = this.subdivide(node);
        const moved = child + this.quadrant(node, previousX, previousY);
        this.mass[moved] = previousMass;
        this.massX[moved] = previousX;
        this.massY[moved] = previousY;
      }
      node = child + this.quadrant(node, x, y);
    }
  }

  private quadrant(node: number, x: number, y: number): number {
    return (x >= this.centreX[node]! ? 1 : 0) + (y >= this.centreY[node]! ? 2 : 0);
  }

  private subdivide(node: number): number {
    const child = this.allocate(4);
    const quarter = this.halfWidth[node]! / 2;
    for (let q = 0; q < 4; q += 1) {
      this.centreX[child + q] = this.centreX[node]! + (q & 1 ? quarter : -quarter);
      this.centreY[child + q] = this.centreY[node]! + (q & 2 ? quarter : -quarter);
      this.halfWidth[child + q] = quarter;
    }
    this.firstChild[node] = child;
    return child;
  }

  private allocate(count: number): number {
    const first = this.nodeCount;
    if (first + count > this.capacity) this.grow(Math.max(64, 2 * (first + count)));
    for (let node = first; node < first + count; node += 1) {
      this.mass[node] = 0;
      this.massX[node] = 0;
      this.massY[node] = 0;
      this.firstChild[node] = NO_CHILDREN;
    }
    this.nodeCount = first + count;
    return first;
  }

  private grow(capacity: number): void {
    const widen = <T extends Float64Array | Int32Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.centreX = widen(this.centreX, new Float64Array(capacity));
    this.centreY = widen(this.centreY, new Float64Array(capacity));
    this.halfWidth = widen(this.halfWidth, new Float64Array(capacity));
    this.massX = widen(this.massX, new Float64Array(capacity));
    this.massY = widen(this.massY, new Float64Array(capacity));
    this.mass = widen(this.mass, new Int32Array(capacity));
    this.firstChild = widen(this.firstChild, new Int32Array(capacity));
    this.capacity = capacity;
  }
}
