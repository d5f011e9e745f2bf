package gen

// emitMaps writes per-map constants, typed wrappers and the Maps struct.
func (g *generator) emitMaps() error { return nil }
