/** Concatenates arrays end to end into one, so they cross threads as one transferable buffer. */
export function packArrays(arrays: readonly Float32Array[]): Float32Array {
  const packed = new Float32Array(arrays.reduce((total, array) => total + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    packed.set(array, offset);
    offset += array.length;
  }
  return packed;
}

/** Views of `packed` cut back into arrays of the given sizes (the inverse of `packArrays`). */
export function unpackArrays(packed: Float32Array, sizes: readonly number[]): Float32Array[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (packed.length !== total) throw new RangeError(`Packed array holds ${packed.length} values, the parts ${total}.`);
  let offset = 0;
  return sizes.map((size) => {
    const start = offset;
    offset += size;
    return packed.subarray(start, offset);
  });
}
