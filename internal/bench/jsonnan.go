package bench

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
)

// marshalNaNAsNull encodes v as JSON with every NaN or infinite float
// written as null. Figures a runtime does not report are NaN in memory;
// encoding/json would refuse them.
func marshalNaNAsNull(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(scrub(reflect.ValueOf(v))); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// scrub converts v into values encoding/json writes the same way, except
// that NaN and infinite floats become nil. Structs keep their json names,
// omitempty and field order; types with their own MarshalJSON (time.Time)
// are left to it.
func scrub(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Invalid:
		return nil
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return scrub(v.Elem())
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return f
	case reflect.Slice:
		if v.IsNil() {
			if v.Type().Elem().Kind() == reflect.Uint8 {
				return nil
			}
			return []any{}
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return json.RawMessage(v.Bytes())
		}
		fallthrough
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = scrub(v.Index(i))
		}
		return out
	case reflect.Map:
		out := map[string]any{}
		it := v.MapRange()
		for it.Next() {
			out[it.Key().String()] = scrub(it.Value())
		}
		return out
	case reflect.Struct:
		if m, ok := v.Interface().(json.Marshaler); ok {
			if _, isSafe := m.(nanSafe); !isSafe {
				return m // time.Time and friends
			}
		}
		out := orderedObject{}
		addStructFields(&out, v)
		return out
	}
	return v.Interface()
}

// addStructFields adds v's exported fields under their json names,
// flattening embedded structs as encoding/json does.
func addStructFields(out *orderedObject, v reflect.Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := bytes.Cut([]byte(tag), []byte(","))
		fv := v.Field(i)
		if f.Anonymous && len(name) == 0 {
			for fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					break
				}
				fv = fv.Elem()
			}
			if fv.Kind() == reflect.Struct {
				addStructFields(out, fv)
				continue
			}
		}
		key := f.Name
		if len(name) > 0 {
			key = string(name)
		}
		if bytes.Contains(opts, []byte("omitempty")) && fv.IsZero() {
			continue
		}
		out.set(key, scrub(fv))
	}
}

// orderedObject keeps the struct's field order in the output; a later
// field of the same name (an outer struct's) replaces an earlier one.
type orderedObject struct {
	keys []string
	vals map[string]any
}

func (o *orderedObject) set(k string, v any) {
	if o.vals == nil {
		o.vals = map[string]any{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		var vb bytes.Buffer
		enc := json.NewEncoder(&vb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(o.vals[k]); err != nil {
			return nil, err
		}
		buf.Write(bytes.TrimRight(vb.Bytes(), "\n"))
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
