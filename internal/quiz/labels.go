package quiz

import "github.com/ki-reise/kicheck/internal/i18n"

// roleIDs and typeIDs are the message ids of the roles' and the question
// types' names, shown by the GUI, the accessible view and the CLI alike.
var (
	roleIDs = map[Role]string{Anwender: "quiz.role_anwender", Fachverantwortlich: "quiz.role_fachverantwortlich",
		Fuehrungskraft: "quiz.role_fuehrungskraft", IT: "quiz.role_it"}
	typeIDs = map[Type]string{Single: "quizimport.type_single", Multi: "quizimport.type_multi", TrueFalse: "quizimport.type_truefalse",
		Short: "quizimport.type_short", Numerical: "quizimport.type_numerical", Matching: "quizimport.type_matching",
		Essay: "quizimport.type_essay", Description: "quizimport.type_description", SelfRating: "quizimport.type_selfrating"}
)

// Label is the role's name in lang; an unknown role is returned as it is.
func (r Role) Label(lang string) string {
	if id, ok := roleIDs[r]; ok {
		return i18n.T(lang, id)
	}
	return string(r)
}

// Label is the question type's name in lang; an unknown type is returned
// as it is.
func (t Type) Label(lang string) string {
	if id, ok := typeIDs[t]; ok {
		return i18n.T(lang, id)
	}
	return string(t)
}
