// The two JSTS modules the polygon validity check imports, typed as far as it uses them (the package
// ships declarations in another folder, which deep imports do not find).
declare module 'jsts/org/locationtech/jts/io/GeoJSONReader.js' {
  export default class GeoJSONReader {
    read(geometry: unknown): object
  }
}
declare module 'jsts/org/locationtech/jts/operation/valid/IsValidOp.js' {
  export default class IsValidOp {
    constructor(geometry: object)
    getValidationError(): { getErrorType(): number; getCoordinate(): { x: number; y: number } | null } | null
  }
}
