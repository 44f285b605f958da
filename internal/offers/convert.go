package offers

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/moochub"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// FromMOOChub turns a course of a feed into an offer. A skill of teaches
// in the framework in use (educationalFramework = the framework's id, or
// its title) with the area id as short code ("A3", or "A3-mittel" with the
// level) becomes a mapping from the feed; DigComp skills are kept and
// lead to proposals (Propose), never to a mapping on their own.
func FromMOOChub(source string, c moochub.Course, fw *learning.Framework) Offer {
	a := c.Attributes
	o := Offer{
		Kind:        KindMOOChub,
		Source:      source,
		Name:        moochub.Clean(a.Name),
		Provider:    moochub.Clean(a.Publisher.Name),
		URL:         moochub.Clean(a.URL),
		Description: moochub.PlainText(a.Description),
		Duration:    moochub.Clean(a.Duration),
		Modes:       cleanAll(a.CourseMode),
		Access:      cleanAll(a.Access),
		Keywords:    cleanAll(a.Keywords),
		Audience:    cleanAll(a.Audience),
		Teaches:     a.Teaches,
	}
	for _, l := range a.InLanguage {
		o.Languages = append(o.Languages, moochub.Clean(l))
	}
	for _, l := range a.License {
		o.License = append(o.License, moochub.Clean(l.Identifier))
	}
	if m, ok := moochub.DurationMinutes(a.Duration); ok {
		o.DurationMinutes = m
	}
	if a.Workload != nil {
		o.Workload = fmt.Sprintf("%d %s", a.Workload.TimeValue, moochub.Clean(a.Workload.TimeUnit))
		// A duration of days or more with a workload is the course's
		// span: the time to spend is workload × span.
		if span := o.DurationMinutes; span >= 24*60 {
			per := map[string]int{"h/day": 24 * 60, "h/week": 7 * 24 * 60, "h/month": 30 * 24 * 60}[a.Workload.TimeUnit]
			if per > 0 {
				o.DurationMinutes = a.Workload.TimeValue * 60 * span / per
			}
		}
	}
	host := ""
	if u, err := url.Parse(a.URL); err == nil {
		host = strings.ToLower(u.Host)
	}
	o.Key = "moochub:" + c.ID + "@" + host
	for _, s := range a.Teaches {
		if !isOwnFramework(s.EducationalFramework, fw) {
			continue
		}
		area, level, stated := parseAreaCode(s.ShortCode)
		if fw.Area(area) == nil || o.Mapping(area) != nil {
			continue
		}
		o.Areas = append(o.Areas, Mapping{Area: area, Level: level, LevelStated: stated, Origin: OriginFeed})
	}
	return o
}

func isOwnFramework(name string, fw *learning.Framework) bool {
	n := strings.TrimSpace(name)
	return strings.EqualFold(n, fw.ID) || strings.EqualFold(n, fw.Title) || strings.EqualFold(n, fw.Ref())
}

// parseAreaCode reads "A3" or "A3-mittel".
func parseAreaCode(code string) (string, quiz.Level, bool) {
	area, lv, found := strings.Cut(strings.TrimSpace(code), "-")
	if found && learning.Rank(quiz.Level(lv)) > 0 {
		return area, quiz.Level(lv), true
	}
	return area, quiz.Grundlage, false
}

func cleanAll(in []string) []string {
	var out []string
	for _, s := range in {
		if c := moochub.Clean(s); c != "" {
			out = append(out, c)
		}
	}
	return out
}
