package api

import (
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// declareNullables marks as nullable, in every schema of the document, the
// properties that encoding/json writes as null: pointer fields without
// omitempty (a timeline line without a report, a task nobody holds). huma
// leaves them required and not nullable, which a strictly generated client
// rejects on the first null.
func declareNullables(a huma.API) {
	reg := a.OpenAPI().Components.Schemas
	for name, s := range reg.Map() {
		t := reg.TypeFromRef("#/components/schemas/" + name)
		if t == nil {
			continue
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			continue
		}
		eachJSONField(t, func(jsonName string, f reflect.StructField, omitempty bool) {
			if f.Type.Kind() != reflect.Pointer || omitempty {
				return
			}
			p := s.Properties[jsonName]
			if p == nil {
				return
			}
			if p.Ref != "" {
				s.Properties[jsonName] = &huma.Schema{Description: p.Description,
					AnyOf: []*huma.Schema{{Ref: p.Ref}, {Type: "null"}}}
				return
			}
			p.Nullable = true
		})
	}
}

// eachJSONField calls fn with each field encoding/json writes for t,
// embedded structs' fields included.
func eachJSONField(t reflect.Type, fn func(jsonName string, f reflect.StructField, omitempty bool)) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				eachJSONField(et, fn)
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fn(name, f, strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,"))
	}
}
