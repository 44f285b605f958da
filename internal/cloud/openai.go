package cloud

import (
	"context"
	"net/http"
	"slices"

	openai "github.com/sashabaranov/go-openai"
)

// OpenAIConfig returns a go-openai configuration for the endpoint, using
// httpClient (from HTTPClient) for every request. Azure endpoints get
// Azure's URL form and "api-key" header.
func OpenAIConfig(ep Endpoint, key APIKey, httpClient *http.Client) openai.ClientConfig {
	var cfg openai.ClientConfig
	if ep.IsAzure() {
		cfg = openai.DefaultAzureConfig(key.Reveal(), ep.RequestBaseURL())
		if ep.AzureAPIVersion != "" {
			cfg.APIVersion = ep.AzureAPIVersion
		} else {
			cfg.APIVersion = DefaultAzureAPIVersion
		}
		deployment := ep.AzureDeployment
		cfg.AzureModelMapperFunc = func(string) string { return deployment }
	} else {
		cfg = openai.DefaultConfig(key.Reveal())
		cfg.BaseURL = ep.RequestBaseURL()
	}
	cfg.HTTPClient = httpClient
	return cfg
}

// ModelName is the model to request: the deployment on Azure.
func (e Endpoint) ModelName() string {
	if e.IsAzure() {
		return e.AzureDeployment
	}
	return e.Model
}

// ConnectionResult is what "Verbindung testen" found.
type ConnectionResult struct {
	Host        string        `json:"host"`
	Models      []string      `json:"models"`
	ModelListed bool          `json:"model_listed"` // the configured model is offered
	Network     NetworkTiming `json:"network"`
}

// TestConnection checks address, proxy, certificate and key by listing the
// endpoint's models. It sends no prompt, so it needs no consent.
func TestConnection(ctx context.Context, ep Endpoint, key APIKey, opts ClientOptions) (ConnectionResult, error) {
	if err := ep.Validate(); err != nil {
		return ConnectionResult{}, err
	}
	hc, err := HTTPClient(ep, opts)
	if err != nil {
		return ConnectionResult{}, err
	}
	defer CloseIdle(hc)
	client := openai.NewClientWithConfig(OpenAIConfig(ep, key, hc))
	ctx, tr := WithTrace(ctx)
	list, err := client.ListModels(ctx)
	if err != nil {
		return ConnectionResult{Host: ep.Host(), Network: tr.Timing()}, classifyTransport(opts.Lang, ep.Host(), ep.CAFile, err)
	}
	res := ConnectionResult{Host: ep.Host(), Network: tr.Timing()}
	for _, m := range list.Models {
		// Names from the server are printed: escaped (an ordinary name
		// stays as it is, so the comparison below is unchanged).
		res.Models = append(res.Models, Printable(m.ID))
	}
	// Ollama and some vLLM setups list "name:latest" for "name".
	res.ModelListed = slices.Contains(res.Models, ep.ModelName()) || slices.Contains(res.Models, ep.ModelName()+":latest")
	return res, nil
}
