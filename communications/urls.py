app_name = "communications"
urlpatterns = []
