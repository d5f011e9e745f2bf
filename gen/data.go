package gen

// emitData writes the Go view of the object's global data sections and the
// static .values slots of its maps.
func (g *generator) emitData() error { return nil }
